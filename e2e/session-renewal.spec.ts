// Silent renewal: an expired or missing access token with a live refresh session is renewed on
// navigation without the person noticing, and two tabs refreshing at once both stay signed in.
import type { BrowserContext } from "@playwright/test";
import { decodeJwt, importJWK, type JWK, SignJWT } from "jose";
import { expect, test } from "./support/fixtures";
import { expectGreeting, meStatus, signInThroughForm } from "./support/pages";
import { serverEnv } from "./support/users";

async function accessCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === "latchkey_at")?.value;
}

/** The same claims, signed with the server's own key, but expired two minutes ago (beyond the 30 s skew). */
async function expiredCopy(token: string): Promise<string> {
  const jwk = (JSON.parse(serverEnv().keys) as { keys: (JWK & { kid: string; alg: string })[] }).keys[0];
  if (!jwk) throw new Error("no signing key");
  const claims = decodeJwt(token);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, iat: now - 420, exp: now - 120 })
    .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: "at+jwt" })
    .sign(await importJWK(jwk, jwk.alg));
}

test("with the access cookie gone, /account is renewed silently and a new access cookie set", async ({ page, context, user }) => {
  await signInThroughForm(page, user);
  const before = await accessCookie(context);
  expect(before).toBeTruthy();
  await context.clearCookies({ name: "latchkey_at" });
  expect(await accessCookie(context)).toBeUndefined();

  await page.goto("/account");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  const after = await accessCookie(context);
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  expect(decodeJwt(after ?? "").sid).toBe(decodeJwt(before ?? "").sid);
  expect(await meStatus(page)).toBe(200);
});

test("with an expired access token, navigation renews it for the same session", async ({ page, context, user, baseURL }) => {
  await signInThroughForm(page, user);
  const original = await accessCookie(context);
  const expired = await expiredCopy(original ?? "");
  await context.addCookies([{ name: "latchkey_at", value: expired, url: baseURL ?? "", httpOnly: true, sameSite: "Lax" }]);
  // The expired token is really refused on its own.
  expect((await page.request.get("/api/me", { headers: { authorization: `Bearer ${expired}` } })).status()).toBe(401);

  await page.goto("/account");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  const renewed = await accessCookie(context);
  expect(renewed).not.toBe(expired);
  const claims = decodeJwt(renewed ?? "");
  expect(claims.sid).toBe(decodeJwt(original ?? "").sid);
  expect(claims.exp ?? 0).toBeGreaterThan(Date.now() / 1000);
});

test("two tabs of one session refreshing at the same moment both stay signed in", async ({ context, user }) => {
  const first = await context.newPage();
  await signInThroughForm(first, user);
  const second = await context.newPage();
  await second.goto("/dashboard");
  await expectGreeting(second, user.username);

  // Both tabs send the same refresh cookie at one agreed instant, bypassing the app's cross-tab
  // lock: the server's reuse grace window is what must keep the session alive.
  const at = Date.now() + 500;
  const refreshAt = (page: typeof first) =>
    page.evaluate(async (when) => {
      await new Promise((r) => setTimeout(r, Math.max(0, when - Date.now())));
      const res = await fetch("/api/auth/refresh", { method: "POST", headers: { accept: "application/json" } });
      return { status: res.status, body: (await res.json()) as { access_token?: string; token_type?: string } };
    }, at);
  const [a, b] = await Promise.all([refreshAt(first), refreshAt(second)]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(a.body.token_type).toBe("Bearer");
  expect(b.body.token_type).toBe("Bearer");

  for (const page of [first, second]) {
    await page.goto("/dashboard");
    await expectGreeting(page, user.username);
  }
  // And the session survives a further ordinary refresh (it was not revoked as a replay).
  const again = await first.evaluate(async () => (await fetch("/api/auth/refresh", { method: "POST" })).status);
  expect(again).toBe(200);
  expect(await meStatus(second)).toBe(200);
});
