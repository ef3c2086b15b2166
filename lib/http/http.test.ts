import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reloadConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES, readJson } from "./body";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "./client-info";
import { isSameOrigin } from "./same-origin";

const schema = z.strictObject({ name: z.string() });
const req = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost:3000/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return e instanceof AppError ? e.code : "threw";
  }
}

afterEach(() => {
  delete process.env.TRUST_PROXY;
  delete process.env.APP_URL;
  reloadConfig();
});

describe("readJson", () => {
  it("parses a strict object", async () => {
    await expect(readJson(req('{"name":"a"}'), schema)).resolves.toEqual({ name: "a" });
  });

  it("refuses what is not a JSON object with the catalogue's codes", async () => {
    expect(await code(readJson(req("{"), schema))).toBe("malformed_json");
    expect(await code(readJson(req("[1]"), schema))).toBe("bad_request");
    expect(await code(readJson(req('"x"'), schema))).toBe("bad_request");
    expect(await code(readJson(req('{"name":"a"}', { "content-type": "text/plain" }), schema))).toBe("unsupported_media_type");
    expect(await code(readJson(req('{"name":"a","role":"admin"}'), schema))).toBe("validation_failed");
    expect(await code(readJson(req('{"__proto__":{"x":1},"name":"a"}'), schema))).toBe("validation_failed");
    expect(await code(readJson(req(new Uint8Array([0x7b, 0xff, 0x7d])), schema))).toBe("malformed_json");
  });

  it("stops reading past 16 KiB whether or not Content-Length says so", async () => {
    const big = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) });
    expect(await code(readJson(req(big), schema))).toBe("payload_too_large");
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)));
        c.close();
      },
    });
    expect(await code(readJson(req(stream), schema))).toBe("payload_too_large");
    expect(await code(readJson(req("{}", { "content-type": "application/json", "content-length": "999999" }), schema))).toBe(
      "payload_too_large",
    );
  });
});

describe("isSameOrigin", () => {
  it("accepts our origin and non-browser requests, refuses other sites", () => {
    process.env.APP_URL = "https://latchkey.test";
    expect(isSameOrigin(new Headers({ origin: "https://latchkey.test" }))).toBe(true);
    expect(isSameOrigin(new Headers({}))).toBe(true);
    expect(isSameOrigin(new Headers({ "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOrigin(new Headers({ origin: "https://evil.example" }))).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "null" }))).toBe(false);
    expect(isSameOrigin(new Headers({ origin: "http://latchkey.test" }))).toBe(false);
    expect(isSameOrigin(new Headers({ "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOrigin(new Headers({ "sec-fetch-site": "same-site" }))).toBe(false);
  });
});

describe("clientAddress", () => {
  it("believes X-Forwarded-For only with TRUST_PROXY, and then only its right-most entry", () => {
    const headers = new Headers({ [CLIENT_ADDRESS_HEADER]: "::ffff:10.0.0.9", "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
    expect(clientAddress(headers)).toBe("10.0.0.9");
    process.env.TRUST_PROXY = "1";
    reloadConfig();
    expect(clientAddress(headers)).toBe("203.0.113.7");
  });
});
