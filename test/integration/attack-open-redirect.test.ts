// Attack class 6: open redirects through ?next=. Whatever an attacker puts there, the refresh
// endpoint and the login page only ever redirect to a path on the app itself.
import { describe, expect, it } from "vitest";
import { HTTP_LAYER_PROVIDER, useApp } from "../support/app";
import type { Reply } from "../support/client";

const HOSTILE_NEXT = [
  "//evil.com",
  "///evil.com",
  "/\\evil.com",
  "\\\\evil.com",
  "/%2F%2Fevil.com",
  "/%2f%2fevil.com",
  "/%252F%252Fevil.com",
  "%2F%2Fevil.com",
  "/%5Cevil.com",
  "/%5C%5Cevil.com",
  "https://evil.com",
  "https:evil.com",
  "https:/\\evil.com",
  "HTTPS://evil.com",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "\t//evil.com",
  "/\t/evil.com",
  "/%09/evil.com",
  "/%0a/evil.com",
  " //evil.com",
  "//evil.com@app",
  "//evil%E3%80%82com",
  "https://evil.com/dashboard",
];

describe(`open redirects through ?next= (${HTTP_LAYER_PROVIDER})`, () => {
  const app = useApp(HTTP_LAYER_PROVIDER, { shared: true });
  const origin = () => new URL(app.url).origin;

  /** The redirect target, resolved as a browser would, must be on the app's own origin. */
  function expectSameOriginRedirect(res: Reply, label: string): URL {
    expect([302, 303, 307, 308], label).toContain(res.status);
    const raw = res.headers.get("location") ?? "";
    expect(raw, label).not.toMatch(/evil|javascript:|data:/i);
    const target = new URL(raw, app.url);
    expect(target.origin, label).toBe(origin());
    expect(target.protocol, label).toBe(new URL(app.url).protocol);
    return target;
  }

  /** A `next` carried on to /login must itself be a same-origin path. */
  function expectSafeInnerNext(target: URL, label: string): void {
    const inner = target.searchParams.get("next");
    if (inner === null) return;
    expect(inner.startsWith("/") && !inner.startsWith("//") && !inner.includes("\\"), `${label}: inner next ${inner}`).toBe(true);
    expect(new URL(inner, app.url).origin, label).toBe(origin());
    expect(inner, label).not.toMatch(/evil/i);
  }

  it("control: a same-origin next is honoured after a refresh", async () => {
    const user = await app.newUser();
    const browser = app.browser();
    await browser.post("/api/auth/login", { username: user.username, password: user.password });
    const res = await browser.get(`/api/auth/refresh?next=${encodeURIComponent("/account?tab=sessions")}`);
    expect(res.status).toBe(303);
    const target = new URL(res.headers.get("location") ?? "", app.url);
    expect(`${target.pathname}${target.search}`).toBe("/account?tab=sessions");
  });

  it.each(HOSTILE_NEXT)("GET /api/auth/refresh?next=%j stays on the app, signed out and signed in", async (next) => {
    const anonymous = await app.browser().get(`/api/auth/refresh?next=${encodeURIComponent(next)}`);
    const toLogin = expectSameOriginRedirect(anonymous, `anonymous ${next}`);
    expect(toLogin.pathname).toBe("/login");
    expectSafeInnerNext(toLogin, next);

    const user = await app.newUser();
    const browser = app.browser();
    await browser.post("/api/auth/login", { username: user.username, password: user.password });
    const signedIn = await browser.get(`/api/auth/refresh?next=${encodeURIComponent(next)}`);
    expect(signedIn.status).toBe(303);
    const target = expectSameOriginRedirect(signedIn, `signed in ${next}`);
    expect(target.pathname).toBe("/dashboard");
  });

  it("raw (unencoded) next values in the query string are handled the same way", async () => {
    for (const query of [
      "next=//evil.com",
      "next=/%2F%2Fevil.com",
      "next=https://evil.com",
      "next=/%5Cevil.com",
      "next=%09//evil.com",
      "next=/dashboard&next=//evil.com",
      "next=//evil.com&next=/dashboard",
    ]) {
      const res = await app.browser().get(`/api/auth/refresh?${query}`);
      const target = expectSameOriginRedirect(res, query);
      expectSafeInnerNext(target, query);
    }
  });

  it("the login page with a hostile next: a signed-in visitor is sent to a same-origin page", async () => {
    const user = await app.newUser();
    const browser = app.browser();
    await browser.post("/api/auth/login", { username: user.username, password: user.password });
    for (const next of HOSTILE_NEXT) {
      const res = await browser.get(`/login?next=${encodeURIComponent(next)}`);
      const target = expectSameOriginRedirect(res, `/login?next=${next}`);
      expect(target.pathname, next).toBe("/dashboard");
    }
    const honoured = await browser.get(`/login?next=${encodeURIComponent("/account")}`);
    expect(new URL(honoured.headers.get("location") ?? "", app.url).pathname).toBe("/account");
  });

  it("the login page with a hostile next renders no link or redirect to another site", async () => {
    for (const next of HOSTILE_NEXT) {
      const res = await app.browser().get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.status, next).toBe(200);
      expect(res.headers.get("location")).toBeNull();
      const html = res.text;
      expect(html, next).not.toMatch(/(href|action|src|formaction)=["'][^"']*(evil|javascript:|data:text)/i);
      expect(html, next).not.toMatch(/http-equiv=["']?refresh/i);
      // The sign-up link carries no next at all when the next was refused.
      expect(html, next).toContain('href="/signup"');
    }
  });
});
