// Attack class 10b: distributed guessing against one account, and registration floods. After 20
// failures for an account from 20 addresses, a new device gets 429 even with the right password,
// but a browser that signed in to that account before (its signed device cookie) still gets in,
// so an attacker cannot lock the owner out. A forged, foreign or tampered device cookie does not
// help the attacker. 30 registrations from one address → the 31st is 429 and creates nothing.
import { describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import { GOOD_PASSWORD, type Reply, uniqueName } from "../support/client";

const WRONG = "definitely not the password";

function expectThrottled(res: Reply, label = ""): void {
  expect(res.status, label).toBe(429);
  expect(res.body, label).toEqual({ code: "too_many_attempts", message: expect.any(String) });
  expect(Number(res.headers.get("retry-after")), label).toBeGreaterThanOrEqual(1);
  expect(res.headers.get("set-cookie"), label).toBeNull();
}

async function adminToken(app: App): Promise<string> {
  const admin = await app.newUser({ role: "admin" });
  return (await app.script().post("/api/auth/login", { username: admin.username, password: admin.password })).body.access_token;
}

describe.each(HTTP_LAYER_PROVIDERS)("account-wide throttling as an attack on %s", (provider) => {
  const app = useApp(provider, { shared: true });

  it("20 failures from 20 addresses lock out new devices, never the owner's known browser", async () => {
    const owner = await app.newUser();
    const other = await app.newUser();
    const ownerBrowser = app.browser();
    expect((await ownerBrowser.post("/api/auth/login", { username: owner.username, password: owner.password })).status).toBe(200);
    const device = ownerBrowser.cookie("latchkey_device");
    expect(device).toBeDefined();
    expect((await ownerBrowser.post("/api/auth/logout")).status).toBe(204);
    // The attacker's own device cookie, earned by signing in to an account they control.
    const attackerBrowser = app.browser();
    expect((await attackerBrowser.post("/api/auth/login", { username: other.username, password: other.password })).status).toBe(200);
    const foreignDevice = attackerBrowser.cookie("latchkey_device") ?? "";

    for (let i = 1; i <= 20; i++) {
      const res = await app.script().post("/api/auth/login", { username: owner.username, password: WRONG });
      expect(res.status, `failure ${i} from its own address`).toBe(401);
    }

    expectThrottled(await app.script().post("/api/auth/login", { username: owner.username, password: owner.password }), "a fresh address");
    expectThrottled(await app.browser().post("/api/auth/login", { username: owner.username, password: owner.password }), "a fresh browser");
    const forged = [foreignDevice, `${device?.slice(0, -4)}AAAA`, "d1.AAAA.AAAA", "x".repeat(5000)];
    for (const value of forged) {
      const impostor = app.browser();
      impostor.setCookie("latchkey_device", value);
      expectThrottled(
        await impostor.post("/api/auth/login", { username: owner.username, password: owner.password }),
        `device cookie ${value.slice(0, 20)}`,
      );
    }

    const back = await ownerBrowser.post("/api/auth/login", { username: owner.username, password: owner.password });
    expect(back.status).toBe(200);
    expect(back.body.user.username).toBe(owner.username);
    expect((await ownerBrowser.get("/api/me")).status).toBe(200);
    // The known device is not a free pass for guessing: its wrong passwords still fail.
    expect((await ownerBrowser.post("/api/auth/login", { username: owner.username, password: WRONG })).status).toBe(401);

    const token = await adminToken(app);
    const audit = await app.script().get(`/api/admin/audit?user=${owner.username}&limit=100`, { bearer: token });
    const events = audit.body.events as { type: string; detail: Record<string, unknown> | null }[];
    expect(events.some((e) => e.type === "login_lockout" && e.detail?.rule === "account")).toBe(true);
    expect(events.filter((e) => e.type === "login_throttled" && e.detail?.rule === "account").length).toBeGreaterThanOrEqual(
      2 + forged.length,
    );
    const sessions = await app.script().get(`/api/admin/users?q=${owner.username}`, { bearer: token });
    expect(sessions.body.users[0].activeSessions).toBe(1);
  });

  it("an unknown account name is throttled exactly like a real one (no enumeration through 429s)", async () => {
    const ghost = uniqueName("ghost");
    for (let i = 0; i < 20; i++)
      expect((await app.script().post("/api/auth/login", { username: ghost, password: WRONG })).status).toBe(401);
    expectThrottled(await app.script().post("/api/auth/login", { username: ghost, password: WRONG }));
  });

  it("30 registrations from one address → the 31st is 429 and creates nothing", async () => {
    const flooder = app.script();
    for (let i = 1; i <= 30; i++) {
      const res = await flooder.post("/api/auth/register", { username: uniqueName("flood"), password: GOOD_PASSWORD });
      expect(res.status, `registration ${i}`).toBe(201);
    }
    const name = uniqueName("flood");
    const refused = await flooder.post("/api/auth/register", { username: name, password: GOOD_PASSWORD });
    expectThrottled(refused, "31st registration");
    // Hostile bodies from that address are refused the same way, before they are even parsed.
    expectThrottled(await flooder.post("/api/auth/register", { username: name, password: GOOD_PASSWORD, role: "admin" }));
    // Nothing was created: the name is still free for someone else.
    const elsewhere = await app.script().post("/api/auth/register", { username: name, password: GOOD_PASSWORD });
    expect(elsewhere.status).toBe(201);
    // And the flood does not spill over onto logins from that address.
    expect((await flooder.post("/api/auth/login", { username: name, password: GOOD_PASSWORD })).status).toBe(200);
  });
});
