import pino from "pino";
import { logLevel } from "@/lib/config";

// One JSON logger for the server side. Secrets never go in: tokens, passwords and cookies are
// redacted by path in case a caller passes a whole object.
export const log = pino({
  level: logLevel(),
  base: { app: "latchkey" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "refresh_token", "*.refresh_token", "headers.cookie", "headers.authorization"],
    censor: "[redacted]",
  },
});
