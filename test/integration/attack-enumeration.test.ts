// Attack class 9: account enumeration. A login for a name that does not exist must look like a
// wrong password for one that does: same status, same body, comparable time (a dummy bcrypt
// comparison runs when there is no account; BCRYPT_COST=10 makes its absence measurable), same
// throttling. Registration of a taken name is a documented 409 (SPEC), so it is asserted as such.
import { describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import { GOOD_PASSWORD, type Reply, uniqueName } from "../support/client";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Everything about a refusal except what must differ between requests (Date). */
function fingerprint(res: Reply) {
  const headers = [...res.headers.entries()].filter(([k]) => !["date", "content-security-policy"].includes(k)).sort();
  return { status: res.status, text: res.text, headers };
}

describe.each(HTTP_LAYER_PROVIDERS)("account enumeration on %s", (provider) => {
  const app = useApp(provider, { env: { BCRYPT_COST: "10" } });

  it("an unknown name and a wrong password get byte-identical refusals, by username and by email", async () => {
    const user = await app.newUser();
    const email = `${user.username}@example.com`;
    const withEmail = uniqueName("em");
    expect((await app.script().post("/api/auth/register", { username: withEmail, email, password: GOOD_PASSWORD })).status).toBe(201);
    const pairs: [unknown, unknown][] = [
      [
        { username: uniqueName("ghost"), password: "a wrong password entirely" },
        { username: user.username, password: "a wrong password entirely" },
      ],
      [
        { username: `${uniqueName("ghost")}@example.com`, password: "a wrong password entirely" },
        { username: email, password: "a wrong password entirely" },
      ],
      [
        { username: uniqueName("ghost"), password: GOOD_PASSWORD, token_delivery: "body" },
        { username: user.username, password: `${GOOD_PASSWORD}!`, token_delivery: "body" },
      ],
    ];
    for (const [unknown, known] of pairs) {
      const a = await app.script().post("/api/auth/login", unknown);
      const b = await app.script().post("/api/auth/login", known);
      expect(a.status).toBe(401);
      expect(a.body).toEqual({ code: "invalid_credentials", message: expect.any(String) });
      expect(fingerprint(a)).toEqual(fingerprint(b));
      expect(a.headers.get("set-cookie")).toBeNull();
    }
  });

  it("a disabled account with a wrong password looks like any other wrong password", async () => {
    const admin = await app.newUser({ role: "admin" });
    const victim = await app.newUser();
    const adminToken = (await app.script().post("/api/auth/login", { username: admin.username, password: admin.password })).body
      .access_token;
    expect((await app.script().patch(`/api/admin/users/${victim.id}`, { disabled: true }, { bearer: adminToken })).status).toBe(200);
    const disabledWrong = await app.script().post("/api/auth/login", { username: victim.username, password: "a wrong password entirely" });
    const unknown = await app.script().post("/api/auth/login", { username: uniqueName("ghost"), password: "a wrong password entirely" });
    expect(fingerprint(disabledWrong)).toEqual(fingerprint(unknown));
    // Only the right password reveals the state (SPEC: 403 account_disabled after a correct password).
    const disabledRight = await app.script().post("/api/auth/login", { username: victim.username, password: victim.password });
    expect(disabledRight.status).toBe(403);
    expect(disabledRight.body.code).toBe("account_disabled");
  });

  it("response times for unknown names and wrong passwords are comparable (ratio of medians within 0.5–2.0)", async () => {
    const user = await app.newUser();
    const time = async (body: unknown) => {
      const started = performance.now();
      const res = await app.script().post("/api/auth/login", body);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(401);
      return elapsed;
    };
    // Warm-up: the first dummy comparison at a new cost builds its dummy hash.
    await time({ username: uniqueName("ghost"), password: "warm up the dummy hash" });
    await time({ username: user.username, password: "warm up the real hash" });
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 15; i++) {
      unknown.push(await time({ username: uniqueName("ghost"), password: `wrong password number ${i}` }));
      known.push(await time({ username: user.username, password: `wrong password number ${i}` }));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`).toBeGreaterThanOrEqual(0.5);
    expect(ratio, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`).toBeLessThanOrEqual(2.0);
    // The cost really is 10: a comparison takes measurable time, so a missing dummy would show.
    expect(median(known)).toBeGreaterThan(15);
  }, 60_000);

  it("throttling treats unknown and known names alike: both locked after 5 failures from one address", async () => {
    const user = await app.newUser();
    for (const name of [user.username, uniqueName("ghost")]) {
      const client = app.script();
      for (let i = 0; i < 5; i++)
        expect((await client.post("/api/auth/login", { username: name, password: "a wrong password entirely" })).status).toBe(401);
      const sixth = await client.post("/api/auth/login", { username: name, password: "a wrong password entirely" });
      expect(sixth.status, name).toBe(429);
      expect(sixth.body.code).toBe("too_many_attempts");
    }
  });

  it("registration of a taken name or email is a 409 (documented), and says nothing else", async () => {
    const user = await app.newUser();
    const taken = await app.script().post("/api/auth/register", { username: user.username.toUpperCase(), password: GOOD_PASSWORD });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ code: "username_taken", message: expect.any(String), fields: { username: [expect.any(String)] } });
    const email = `${uniqueName("mail")}@example.com`;
    expect((await app.script().post("/api/auth/register", { username: uniqueName(), email, password: GOOD_PASSWORD })).status).toBe(201);
    const emailTaken = await app
      .script()
      .post("/api/auth/register", { username: uniqueName(), email: email.toUpperCase(), password: GOOD_PASSWORD });
    expect(emailTaken.status).toBe(409);
    expect(emailTaken.body.code).toBe("email_taken");
    expect(JSON.stringify(emailTaken.body)).not.toContain(user.username);
  });
});
