import pino from "pino";

// One JSON logger for the server side. Secrets never go in: tokens, passwords and cookies are
// redacted by path in case a caller passes a whole object.
export const log = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { app: "latchkey" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "refresh_token", "*.refresh_token", "headers.cookie", "headers.authorization"],
    censor: "[redacted]",
  },
});
