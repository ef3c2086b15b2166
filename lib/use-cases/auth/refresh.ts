// Rotates a refresh token (docs/decisions/0002-refresh-rotation.md) and issues a new access token.
import { type IssuedTokens, issueTokens } from "@/lib/auth/issue";
import { type SessionEndedCode, sessionEndedCode } from "@/lib/auth/session-ended";
import { findEndedSessionReason, rotateRefreshToken } from "@/lib/auth/session-store";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";

// A refresh token is 256 bits in base64url (43 characters); anything else is not ours.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type RefreshInput = { refreshToken: string | undefined; meta: RequestMeta };

export async function refresh(deps: Deps, input: RefreshInput): Promise<IssuedTokens> {
  const presented = input.refreshToken;
  if (!presented || !TOKEN_SHAPE.test(presented)) throw new AppError("invalid_refresh_token");
  const result = await rotateRefreshToken(deps, presented, input.meta);
  if (!result.ok) {
    if (result.reason === "reuse") {
      await deps.audit.record({
        type: "refresh_token_reuse",
        userId: result.userId,
        ...input.meta,
        detail: { sessionId: result.sessionId },
      });
    }
    throw new AppError("invalid_refresh_token");
  }
  const { sessionId, refreshToken, expiresAt, impersonatorId } = result;
  return issueTokens({ sessionId, refreshToken, expiresAt, impersonatorId }, result.user);
}

/**
 * After a refresh failed: why this browser's session ended, as a code for the sign-in page
 * (lib/auth/session-ended.ts), or null when the token is not a recent one of an ended session.
 */
export async function endedSessionCode(
  deps: Pick<Deps, "db" | "config">,
  refreshToken: string | undefined,
): Promise<SessionEndedCode | null> {
  if (!refreshToken || !TOKEN_SHAPE.test(refreshToken)) return null;
  return sessionEndedCode(await findEndedSessionReason(deps, refreshToken));
}
