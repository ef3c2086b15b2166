// GET /api/admin/audit/export (SPEC "Admin console"): the whole filtered log as CSV or NDJSON, the
// same events the paged API lists, as an attachment nobody caches; 422 on a bad format, 401/403
// for everyone but admins.
import { beforeAll, describe, expect, it } from "vitest";
import { type App, HTTP_LAYER_PROVIDERS, useApp } from "../support/app";
import type { Client } from "../support/client";
import { parseCsv } from "../support/csv";

type Event = { id: string; seq: number; type: string; subject: string | null; detail: unknown };

describe.each(HTTP_LAYER_PROVIDERS)("audit export on %s", (provider) => {
  const app: App = useApp(provider);
  let admin: Client;
  let hostile = "";

  beforeAll(async () => {
    const account = await app.newUser({ role: "admin" });
    admin = app.browser();
    expect((await admin.post("/api/auth/login", { username: account.username, password: account.password })).status).toBe(200);
    hostile = `=hyperlink${Date.now()}`;
    // Failed logins give a spread of events, one with a name a spreadsheet would run as a formula.
    const names = [hostile, "comma, name", 'quote"name', ...Array.from({ length: 12 }, (_, i) => `someone${i}`)];
    for (const name of names) {
      expect((await app.script().post("/api/auth/login", { username: name, password: "not the password at all" })).status).toBe(401);
    }
    // Some failures are recorded after the answer: wait until all of them are.
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const listed = await admin.get("/api/admin/audit?type=login_failure&limit=100");
      if (listed.body.events.length >= names.length) break;
    }
  }, 120_000);

  async function paged(query: string): Promise<Event[]> {
    const events: Event[] = [];
    let cursor = "";
    do {
      const res = await admin.get(`/api/admin/audit?${query}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      events.push(...res.body.events);
      cursor = res.body.nextCursor ?? "";
    } while (cursor);
    return events;
  }

  it("streams NDJSON that matches the paged API", async () => {
    const res = await admin.get("/api/admin/audit/export?format=ndjson&type=login_failure");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="latchkey-audit-\d{4}-\d\d-\d\d\.ndjson"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const lines = res.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(await paged("type=login_failure"));
    expect(lines.length).toBeGreaterThanOrEqual(15);
  });

  it("streams CSV that matches the paged API, quoted and formula-safe", async () => {
    const to = new Date().toISOString();
    const query = `type=login_failure&to=${encodeURIComponent(to)}`;
    const res = await admin.get(`/api/admin/audit/export?format=csv&${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="latchkey-audit-\d{4}-\d\d-\d\d\.csv"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const [header, ...rows] = parseCsv(res.text);
    expect(header?.slice(0, 4)).toEqual(["id", "seq", "createdAt", "type"]);
    const expected = await paged(query);
    expect(rows.map((r) => r[0])).toEqual(expected.map((e) => e.id));
    const subjects = rows.map((r) => r[header?.indexOf("subject") ?? -1]);
    expect(subjects).toContain(`'${hostile}`);
    expect(subjects).toContain("comma, name");
    expect(subjects).toContain('quote"name');
  });

  it("records the export with the acting admin, the filters and the format", async () => {
    expect((await admin.get("/api/admin/audit/export?format=csv&type=logout")).status).toBe(200);
    const [event] = (await admin.get("/api/admin/audit?type=audit_exported&limit=1")).body.events;
    expect(event).toMatchObject({ type: "audit_exported", detail: { format: "csv", filters: { type: "logout" } } });
    expect(event.actor.id).toBe(event.user.id);
  });

  it("answers 422 for a missing or unknown format and unknown parameters", async () => {
    for (const query of ["format=xml", "", "format=csv&sort=asc", "format=csv&from=yesterday"]) {
      const res = await admin.get(`/api/admin/audit/export?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.code).toBe("validation_failed");
    }
    expect((await admin.get("/api/admin/audit/export?format=xml")).body.fields).toHaveProperty("format");
  });

  it("is for admins only", async () => {
    expect((await app.script().get("/api/admin/audit/export?format=csv")).status).toBe(401);
    const user = await app.newUser();
    const browser = app.browser();
    expect((await browser.post("/api/auth/login", { username: user.username, password: user.password })).status).toBe(200);
    const res = await browser.get("/api/admin/audit/export?format=ndjson");
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("forbidden");
  });
});
