import { edgeConfig } from "@/lib/edge/config";
import { signAccessToken } from "@/lib/edge/tokens";
import type { SecondFactors } from "./second-factors";
import type { SessionUser } from "./session-store";

export type IssuedTokens = {
  accessToken: string;
  expiresIn: number;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: Date;
  sessionId: string;
  user: SessionUser;
};

/**
 * A fresh access token for a session whose refresh token was just created or rotated. An
 * impersonation session's token names the admin (`act`) and never outlives the session.
 */
export async function issueTokens(
  session: { sessionId: string; refreshToken: string; expiresAt: Date; impersonatorId?: string | null },
  user: SessionUser,
): Promise<IssuedTokens> {
  const actorId = session.impersonatorId ?? undefined;
  const ttlMs = actorId ? Math.min(edgeConfig().accessTokenTtlMs, session.expiresAt.getTime() - Date.now()) : undefined;
  const access = await signAccessToken({ userId: user.id, sessionId: session.sessionId, role: user.role, actorId }, { ttlMs });
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    accessExpiresAt: access.expiresAt,
    refreshToken: session.refreshToken,
    refreshExpiresAt: session.expiresAt,
    sessionId: session.sessionId,
    user,
  };
}

export type UserDto = {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  role: "user" | "admin";
  createdAt: string;
  /** SPEC: `{"totp": bool, "passkeys": n}`, where the caller looked them up (/api/me, sign-in). */
  secondFactors?: SecondFactors;
};

export function userDto(user: SessionUser, factors?: SecondFactors): UserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    ...(factors ? { secondFactors: factors } : {}),
  };
}
