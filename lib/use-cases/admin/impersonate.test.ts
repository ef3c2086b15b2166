import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requirePrincipal } from "@/lib/auth/authenticate";
import { markAuthenticated, requireFreshAuthentication } from "@/lib/auth/freshness";
import { createSession, rotateRefreshToken } from "@/lib/auth/session-store";
import { accessCookie } from "@/lib/edge/cookies";
import { verifyAccessToken } from "@/lib/edge/tokens";
import { generateKeySet } from "@/scripts/lib/signing-keys";
import { createTestDeps, meta, seedUser, type TestDeps } from "@/test/support/deps";
import { endSession } from "../account/end-session";
import { reauthenticate } from "../auth/reauthenticate";
import { refresh } from "../auth/refresh";
import { bindRequestMeta, type RequestMeta } from "../meta";
import { IMPERSONATION_LIFETIME_MS, impersonate } from "./impersonate";

describe("impersonate", () => {
  let deps: TestDeps;
  beforeAll(async () => {
    vi.stubEnv("AUTH_SIGNING_KEYS", JSON.stringify(await generateKeySet()));
    vi.stubEnv("APP_URL", "http://localhost:3000");
    vi.stubEnv("ACCESS_TOKEN_TTL", "5m");
    deps = await createTestDeps();
  });
  afterAll(async () => {
    await deps.cleanup();
    vi.unstubAllEnvs();
  });

  /** An admin signed in just now (fresh), as the route hands it to the use case. */
  async function signedInAdmin() {
    const admin = await seedUser(deps, { role: "admin" });
    const session = await createSession(deps, { userId: admin.id, ...meta });
    return { admin, session, actor: { ...meta, actorId: admin.id, sessionId: session.sessionId } };
  }

  const eventsOf = (type: string, userId: string) =>
    deps.db.auditEvent.findMany({ where: { type, userId }, select: { userId: true, actorId: true, subject: true, detail: true } });

  it("needs the admin's fresh authentication", async () => {
    const { actor } = await signedInAdmin();
    const target = await seedUser(deps);
    deps.clock.advance(deps.config.REAUTH_TTL + 1_000);
    await expect(impersonate(deps, { userId: target.id, actor, keepReturn: true })).rejects.toMatchObject({
      status: 403,
      code: "reauthentication_required",
    });
    expect(await deps.db.session.count({ where: { userId: target.id } })).toBe(0);
    await markAuthenticated(deps, actor.sessionId);
    await expect(impersonate(deps, { userId: target.id, actor, keepReturn: false })).resolves.toMatchObject({ user: { id: target.id } });
  });

  it("refuses admins, disabled accounts and oneself with 409, unknown ids with 404, non-admins with 403", async () => {
    const { admin, actor } = await signedInAdmin();
    const otherAdmin = await seedUser(deps, { role: "admin" });
    const disabled = await seedUser(deps, { disabled: true });
    for (const userId of [admin.id, otherAdmin.id, disabled.id]) {
      await expect(impersonate(deps, { userId, actor, keepReturn: true })).rejects.toMatchObject({
        status: 409,
        code: "cannot_impersonate",
      });
      expect(await deps.db.session.count({ where: { userId, impersonatorId: { not: null } } })).toBe(0);
    }
    await expect(impersonate(deps, { userId: "00000000-0000-4000-8000-000000000000", actor, keepReturn: true })).rejects.toMatchObject({
      status: 404,
      code: "not_found",
    });
    const person = await seedUser(deps);
    const personSession = await createSession(deps, { userId: person.id, ...meta });
    const target = await seedUser(deps);
    const notAdmin = { ...meta, actorId: person.id, sessionId: personSession.sessionId };
    await expect(impersonate(deps, { userId: target.id, actor: notAdmin, keepReturn: true })).rejects.toMatchObject({
      status: 403,
      code: "forbidden",
    });
    expect(await eventsOf("impersonation_started", target.id)).toEqual([]);
  });

  it("creates a one-hour session of the target that names the admin, is never fresh, and is audited", async () => {
    const { admin, actor } = await signedInAdmin();
    const target = await seedUser(deps);
    const result = await impersonate(deps, { userId: target.id, actor, keepReturn: false });

    expect(result.user).toMatchObject({ id: target.id, username: target.username, role: "user" });
    expect(result.impersonator).toEqual({ id: admin.id, username: admin.username });
    expect(result.endsAt.getTime()).toBe(deps.clock.now().getTime() + IMPERSONATION_LIFETIME_MS);
    expect(result.refreshExpiresAt.getTime()).toBeLessThanOrEqual(result.endsAt.getTime());
    expect(result.returnToken).toBeNull();
    const row = await deps.db.session.findUniqueOrThrow({
      where: { id: result.sessionId },
      select: { userId: true, impersonatorId: true, expiresAt: true },
    });
    expect(row).toEqual({ userId: target.id, impersonatorId: admin.id, expiresAt: result.endsAt });
    await expect(requireFreshAuthentication(deps, result.sessionId)).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(await verifyAccessToken(result.accessToken)).toMatchObject({ sub: target.id, sid: result.sessionId, act: { sub: admin.id } });
    // Being impersonated is not being seen.
    expect(await deps.db.user.findUniqueOrThrow({ where: { id: target.id }, select: { lastSeenAt: true } })).toEqual({ lastSeenAt: null });

    expect(await eventsOf("impersonation_started", target.id)).toEqual([
      {
        userId: target.id,
        actorId: admin.id,
        subject: target.username,
        detail: JSON.stringify({ sessionId: result.sessionId, expiresAt: result.endsAt.toISOString() }),
      },
    ]);
  });

  it("refreshing never extends it, its access tokens never outlive it, and it ends after the hour", async () => {
    // The access token's lifetime is computed on the system clock: move both together.
    vi.useFakeTimers({ toFake: ["Date"] });
    const at = (ms: number) => {
      deps.clock.set(ms);
      vi.setSystemTime(ms);
    };
    try {
      at(Date.now());
      const { actor } = await signedInAdmin();
      const target = await seedUser(deps);
      const start = await impersonate(deps, { userId: target.id, actor, keepReturn: false });
      expect(start.expiresIn).toBe(300);
      at(start.endsAt.getTime() - 60_000);
      const renewed = await refresh(deps, { refreshToken: start.refreshToken, meta });
      expect(renewed.refreshExpiresAt).toEqual(start.endsAt);
      expect(renewed.expiresIn).toBe(60);
      expect(await verifyAccessToken(renewed.accessToken)).toMatchObject({ act: { sub: actor.actorId } });
      at(start.endsAt.getTime());
      await expect(refresh(deps, { refreshToken: renewed.refreshToken, meta })).rejects.toMatchObject({ code: "invalid_refresh_token" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("for a browser, restarts the admin's own refresh chain and hands over the new token", async () => {
    const { admin, session, actor } = await signedInAdmin();
    const target = await seedUser(deps);
    const result = await impersonate(deps, { userId: target.id, actor, keepReturn: true });
    expect(result.returnToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The cookie the browser held is no longer a way in; the returned one is the admin's session.
    expect(await rotateRefreshToken(deps, session.refreshToken, meta)).toMatchObject({ ok: false });
    expect(await rotateRefreshToken(deps, result.returnToken ?? "", meta)).toMatchObject({
      ok: true,
      sessionId: session.sessionId,
      user: { id: admin.id },
      impersonatorId: null,
    });
  });

  it("during it, the person's step-up is out of reach and every audit event names the admin", async () => {
    const { admin, actor } = await signedInAdmin();
    const target = await seedUser(deps);
    const result = await impersonate(deps, { userId: target.id, actor, keepReturn: false });

    // What the route wrapper and requirePrincipal do for a request of the impersonation session.
    const headers = new Headers({ cookie: `${accessCookie().name}=${result.accessToken}` });
    const req = new NextRequest("http://localhost:3000/api/sessions/x", { method: "DELETE", headers });
    const requestMeta: RequestMeta = { ...meta };
    bindRequestMeta(req, requestMeta);
    const principal = await requirePrincipal(deps, req);
    expect(principal.impersonation).toMatchObject({ impersonatorId: admin.id, impersonatorUsername: admin.username });
    expect(requestMeta.actorId).toBe(admin.id);

    await expect(
      reauthenticate(deps, { userId: target.id, sessionId: principal.sessionId, password: target.password, meta: requestMeta }),
    ).rejects.toMatchObject({ status: 403, code: "forbidden" });
    await expect(requireFreshAuthentication(deps, principal.sessionId)).rejects.toMatchObject({ code: "reauthentication_required" });

    const own = await createSession(deps, { userId: target.id, ...meta });
    await endSession(deps, { userId: target.id, sessionId: own.sessionId, meta: requestMeta });
    expect(await eventsOf("session_revoked", target.id)).toEqual([expect.objectContaining({ userId: target.id, actorId: admin.id })]);
  });
});
