// Attack class 10c: parallel bursts. The limits are counted before the password is checked, so
// firing many guesses at once buys no more than firing them one by one: one login at a time per
// (address, account), and the account window refuses attempts beyond its 20 before bcrypt runs.
import { describe, expect, it } from "vitest";
import { useApp } from "../support/app";
import { PROVIDERS } from "../support/databases";

const WRONG = "definitely not the password";

describe.each(PROVIDERS)("burst guessing on %s", (provider) => {
  // A realistic bcrypt cost, so the attempts of a burst really are in flight together.
  const app = useApp(provider, { env: { BCRYPT_COST: "10" } });

  it("bursts from one address get no more password checks than the 5 consecutive failures allowed", async () => {
    const victim = await app.newUser();
    const attacker = app.script();
    let checked = 0;
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => attacker.post("/api/auth/login", { username: victim.username, password: WRONG })),
      );
      const statuses = replies.map((r) => r.status);
      expect(
        statuses.every((s) => s === 401 || s === 429),
        `round ${round}: ${statuses}`,
      ).toBe(true);
      checked += statuses.filter((s) => s === 401).length;
    }
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    // The victim still gets in from their own address.
    expect((await app.script().post("/api/auth/login", { username: victim.username, password: victim.password })).status).toBe(200);
  });

  it("a burst from many addresses checks at most 20 passwords, then even the right one is refused to new devices", async () => {
    const victim = await app.newUser();
    const replies = await Promise.all(
      Array.from({ length: 35 }, () => app.script().post("/api/auth/login", { username: victim.username, password: WRONG })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length, String(statuses)).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length, String(statuses)).toBeGreaterThanOrEqual(15);
    const late = await app.script().post("/api/auth/login", { username: victim.username, password: victim.password });
    expect(late.status).toBe(429);
    expect(late.body.code).toBe("too_many_attempts");
  });
});
