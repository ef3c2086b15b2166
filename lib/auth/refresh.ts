import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "./audit";
import { issueTokens, type IssuedTokens } from "./issue";
import { rotateRefreshToken } from "./session-store";

// A refresh token is 256 bits in base64url (43 characters); anything else is not ours.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function refresh(presented: string | undefined, meta: { address: string; userAgent: string | null }): Promise<IssuedTokens> {
  if (!presented || !TOKEN_SHAPE.test(presented)) throw new AppError("invalid_refresh_token");
  const db = getDb();
  const result = await rotateRefreshToken(db, presented, meta);
  if (!result.ok) {
    if (result.reason === "reuse") {
      await audit(db, { type: "refresh_token_reuse", userId: result.userId, ...meta, detail: { sessionId: result.sessionId } });
    }
    throw new AppError("invalid_refresh_token");
  }
  return issueTokens({ sessionId: result.sessionId, refreshToken: result.refreshToken, expiresAt: result.expiresAt }, result.user);
}
