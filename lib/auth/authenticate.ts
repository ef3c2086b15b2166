// Node-side authentication of one request: the access token (Bearer header first, then the
// cookie) is verified again, then the session is checked, so logout, disable and revocation are
// felt within the second (SPEC "Revocation") rather than when the token expires. Both checks are
// answered from caches when they can be (docs/decisions/0021-auth-caches.md).
import type { Deps } from "@/lib/deps";
import { accessCookie } from "@/lib/edge/cookies";
import { type AccessClaims, TokenError } from "@/lib/edge/tokens";
import { AppError } from "@/lib/errors";
import { attributeToImpersonator } from "@/lib/use-cases/meta";
import { loadLiveSessionOf } from "./live-session";
import { secondFactorsOf } from "./second-factors";
import type { SessionUser } from "./session-store";
import { verifiedTokens } from "./token-cache";

/** An admin acting as the principal's user (docs/decisions/0015-impersonation.md), from the session row. */
export type Impersonation = { impersonatorId: string; impersonatorUsername: string; expiresAt: Date };

export type Principal = {
  user: SessionUser;
  sessionId: string;
  claims: AccessClaims;
  via: "bearer" | "cookie";
  impersonation: Impersonation | null;
};

type CookieReader = { get(name: string): { value: string } | undefined };

export function extractToken(headers: Headers, cookies: CookieReader): { token: string; via: "bearer" | "cookie" } | null {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("invalid_token");
    return { token: match[1], via: "bearer" };
  }
  const cookie = cookies.get(accessCookie().name)?.value;
  return cookie ? { token: cookie, via: "cookie" } : null;
}

/** The principal behind a token, or null when the token or its session is no longer good. */
export async function principalFromToken(deps: Deps, token: string, via: "bearer" | "cookie"): Promise<Principal | null> {
  let claims: AccessClaims;
  try {
    claims = await verifiedTokens().verify(token);
  } catch (e) {
    if (e instanceof TokenError) return null;
    throw e;
  }
  // The session row, not the token's `act` claim, says whether this is an impersonation.
  const live = await loadLiveSessionOf(deps, claims.sid, claims.sub);
  if (!live) return null;
  const { impersonator } = live;
  const impersonation = impersonator
    ? { impersonatorId: impersonator.id, impersonatorUsername: impersonator.username, expiresAt: live.expiresAt }
    : null;
  return { user: live.user, sessionId: claims.sid, claims, via, impersonation };
}

type Credentials = { headers: Headers; cookies: CookieReader };

/** Every audit event of an impersonated request names the admin as actor (the route's meta). */
function attributed(req: Credentials, principal: Principal): Principal {
  if (principal.impersonation) attributeToImpersonator(req, principal.impersonation.impersonatorId);
  return principal;
}

/** The principal of a request that may or may not carry a live token (logout). */
export async function optionalPrincipal(deps: Deps, req: Credentials): Promise<Principal | null> {
  const found = extractToken(req.headers, req.cookies);
  const principal = found ? await principalFromToken(deps, found.token, found.via) : null;
  return principal ? attributed(req, principal) : null;
}

/** For API routes: the principal, or a thrown 401 with the SPEC body. */
export async function requirePrincipal(deps: Deps, req: Credentials): Promise<Principal> {
  const found = extractToken(req.headers, req.cookies);
  if (!found) throw new AppError("unauthenticated");
  const principal = await principalFromToken(deps, found.token, found.via);
  if (!principal) throw new AppError("invalid_token");
  return attributed(req, principal);
}

/**
 * For the few operations an impersonating admin must not do as the person, though no step-up
 * guards them: changing the password (the admin might know the current one).
 */
export async function requireOwnPrincipal(deps: Deps, req: Credentials): Promise<Principal> {
  const principal = await requirePrincipal(deps, req);
  if (principal.impersonation) {
    throw new AppError("forbidden", { message: "An administrator acting as this person cannot do this. Stop impersonating first." });
  }
  return principal;
}

export async function requireAdminPrincipal(deps: Deps, req: Credentials): Promise<Principal> {
  const principal = await requirePrincipal(deps, req);
  // The role comes from the database row just read, never from the token's claim. An
  // impersonation session never carries admin authority, whatever its user's role became since.
  if (principal.user.role !== "admin" || principal.impersonation) throw new AppError("forbidden");
  if (deps.config.REQUIRE_ADMIN_MFA && !(await hasSecondFactor(deps, principal.user.id))) {
    throw new AppError("second_factor_enrollment_required");
  }
  return principal;
}

/** REQUIRE_ADMIN_MFA: an authenticator app or a passkey. */
export async function hasSecondFactor(deps: Pick<Deps, "db">, userId: string): Promise<boolean> {
  const factors = await secondFactorsOf(deps.db, userId);
  return factors.totp || factors.passkeys > 0;
}

/** The SPEC's `impersonator` of /api/me: who is acting as the principal's user, and until when. */
export function impersonatorOf(principal: Pick<Principal, "impersonation">): { id: string; username: string; expiresAt: string } | null {
  const found = principal.impersonation;
  return found ? { id: found.impersonatorId, username: found.impersonatorUsername, expiresAt: found.expiresAt.toISOString() } : null;
}
