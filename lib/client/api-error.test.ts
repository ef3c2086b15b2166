import { describe, expect, it } from "vitest";
import { describeApiError, parseRetryAfter, readApiError } from "./api-error";

describe("readApiError", () => {
  it("reads the catalogue shape and Retry-After", async () => {
    const res = new Response(JSON.stringify({ code: "too_many_attempts", message: "Too many failed sign-ins." }), {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "90" },
    });
    const error = await readApiError(res);
    expect(error).toMatchObject({ status: 429, code: "too_many_attempts", retryAfterSeconds: 90 });
    expect(describeApiError(error)).toBe("Too many failed sign-ins. Try again in 2 minutes.");
  });

  it("does not repeat a wait the server's message already names", async () => {
    const body = { code: "too_many_attempts", message: "Too many attempts. Try again in 30 seconds." };
    const res = new Response(JSON.stringify(body), { status: 429, headers: { "retry-after": "30" } });
    expect(describeApiError(await readApiError(res))).toBe("Too many attempts. Try again in 30 seconds.");
  });

  it("keeps only string messages from fields", async () => {
    const body = { code: "invalid_fields", message: "Check the fields.", fields: { username: ["Too short", 3], email: "x" } };
    const error = await readApiError(new Response(JSON.stringify(body), { status: 422 }));
    expect(error.fields).toEqual({ username: ["Too short"] });
  });

  it("falls back to a sentence when the body is not JSON", async () => {
    const error = await readApiError(new Response("<html>Bad gateway</html>", { status: 503 }));
    expect(error.code).toBe("http_503");
    expect(error.message).toMatch(/temporarily unavailable/);
    expect(describeApiError(error)).not.toMatch(/html/i);
  });
});

describe("parseRetryAfter", () => {
  it("accepts seconds and HTTP dates", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30);
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:01:00 GMT", now)).toBe(60);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
  });
});
