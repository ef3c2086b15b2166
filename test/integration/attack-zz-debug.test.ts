import { request } from "node:http";
import { it } from "vitest";
import { useApp } from "../support/app";
function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<any> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: "GET", path, headers }, (res) => {
      let text = ""; res.setEncoding("utf8"); res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on("error", reject); req.end();
  });
}
const app = useApp("sqlite");
it("debug", async () => {
  const u = await app.newUser({ role: "admin" }); const v = await app.newUser();
  const a = `latchkey_at=${(await app.script().post("/api/auth/login", { username: u.username, password: u.password })).body.access_token}`;
  const b = `latchkey_at=${(await app.script().post("/api/auth/login", { username: v.username, password: v.password })).body.access_token}`;
  const show = (l: string, r: any) => console.log(l, r.status, JSON.stringify(r.headers), r.text.slice(0, 300));
  show("user plain", await raw(app.url, "/admin", { cookie: b }));
  for (const [l,c] of [["admin",a],["user",b],["anon",""]]) {
    const h: Record<string,string> = c ? { cookie: c, rsc: "1" } : { rsc: "1" };
    const r1 = await raw(app.url, "/admin", h); show(l+" rsc1", r1);
    const r2 = await raw(app.url, r1.headers.location ?? "/admin", h); show(l+" rsc2", r2);
    const r3 = await raw(app.url, "/admin?_rsc=abcde", h); show(l+" rsc3", r3);
  }
});
