// Attack class 5: property-based fuzzing. Thousands of random bodies (arbitrary JSON values,
// objects shaped like the real ones with values of every type, random text) against every
// endpoint that takes a body: the server never answers 5xx, and every refusal has the SPEC's
// shape. 429 is a valid answer (the throttle is doing its job). Bounded to finish in under a minute.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import { assertSpecError } from "../support/forge";

const RUNS_PER_ENDPOINT = Number(process.env.FUZZ_RUNS ?? 300);
let addressCounter = 0;

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ minLength: 15, maxLength: 140 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("admin", "user", "body", "cookie", "", "__proto__", "x".repeat(43), "a".repeat(300), "\u0000", "💥".repeat(40)),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Objects with the endpoint's own keys (each optional) plus, sometimes, unexpected ones. */
function shaped(keys: string[]): fc.Arbitrary<string> {
  const record = fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });
  const extra = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "role", "id", "isAdmin")),
    value,
    { maxKeys: 2 },
  );
  return fc.tuple(record, fc.option(extra, { freq: 3 })).map(([r, e]) => {
    const obj: Record<string, unknown> = { ...r };
    if (e)
      for (const [k, v] of Object.entries(e))
        Object.defineProperty(obj, k, { value: v, enumerable: true, configurable: true, writable: true });
    return JSON.stringify(obj);
  });
}

function anyText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
    fc.json(),
    fc.anything({ maxDepth: 3 }).map((v) => {
      try {
        return JSON.stringify(v) ?? "";
      } catch {
        return "{}";
      }
    }),
    fc.object().map((o) => JSON.stringify(o)),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({ maxLength: 50 }).map((s) => `{"username":${s}`),
  );
}

describe(`fuzzing every body endpoint on ${HTTP_LAYER_PROVIDER}`, () => {
  const provider = HTTP_LAYER_PROVIDER;
  const app = useApp(provider, { shared: true });
  let endpoints: { name: string; method: string; path: string; bearer?: string; keys: string[] }[];

  beforeAll(async () => {
    const admin = await app.newUser({ role: "admin" });
    const punchbag = await app.newUser();
    const user = await app.newUser();
    const token = async (u: { username: string; password: string }) =>
      (await app.script().post("/api/auth/login", { username: u.username, password: u.password })).body.access_token as string;
    const adminToken = await token(admin);
    endpoints = [
      { name: "register", method: "POST", path: "/api/auth/register", keys: ["username", "password", "email"] },
      { name: "login", method: "POST", path: "/api/auth/login", keys: ["username", "password", "token_delivery"] },
      { name: "refresh", method: "POST", path: "/api/auth/refresh", keys: ["refresh_token"] },
      { name: "logout", method: "POST", path: "/api/auth/logout", keys: ["everywhere", "refresh_token"] },
      { name: "admin patch", method: "PATCH", path: `/api/admin/users/${punchbag.id}`, bearer: adminToken, keys: ["role", "disabled"] },
      {
        name: "password",
        method: "POST",
        path: "/api/account/password",
        bearer: await token(user),
        keys: ["currentPassword", "newPassword"],
      },
    ];
  });

  it(`${RUNS_PER_ENDPOINT} random bodies per endpoint: never a 5xx, always the SPEC error shape`, async () => {
    const statuses = new Map<number, number>();
    for (const e of endpoints) {
      await fc.assert(
        fc.asyncProperty(fc.oneof({ arbitrary: shaped(e.keys), weight: 3 }, { arbitrary: anyText(), weight: 2 }), async (body) => {
          addressCounter += 1;
          const headers: Record<string, string> = {
            "content-type": "application/json",
            "x-forwarded-for": `10.${100 + (provider === "sqlite" ? 0 : 1)}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`,
          };
          if (e.bearer) headers.authorization = `Bearer ${e.bearer}`;
          const res = await fetch(`${app.url}${e.path}`, { method: e.method, headers, body, redirect: "manual" });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500)
            throw new Error(`${e.name}: ${res.status} for ${JSON.stringify(body).slice(0, 300)}: ${text.slice(0, 300)}`);
          if (res.status >= 400) {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            assertSpecError(
              { status: res.status, headers: res.headers, body: parsed, text },
              `${e.name} ${JSON.stringify(body).slice(0, 200)}`,
            );
            if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
          }
        }),
        { numRuns: RUNS_PER_ENDPOINT },
      );
    }
    // The fuzzer reached past the parser: validation refusals and real credential checks both occurred.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    expect((statuses.get(400) ?? 0) + (statuses.get(401) ?? 0)).toBeGreaterThan(0);
    expect((await app.script().get("/api/health")).status).toBe(200);
  }, 120_000);
});
