import { getDb } from "@/lib/db/client";
import { audit } from "./audit";
import { sha256 } from "./secrets";
import { revokeSession } from "./session-store";

/**
 * Ends the session named by the access token, or else by the refresh token, so a browser whose
 * access token already expired can still sign out. `everywhere` ends all of the user's sessions.
 */
export async function logout(input: {
  sessionId?: string;
  userId?: string;
  refreshToken?: string;
  everywhere: boolean;
  address: string;
  userAgent: string | null;
}): Promise<void> {
  const db = getDb();
  let { sessionId, userId } = input;
  if (!sessionId && input.refreshToken) {
    const row = await db.refreshToken.findUnique({
      where: { tokenHash: sha256(input.refreshToken) },
      select: { session: { select: { id: true, userId: true, revokedAt: true } } },
    });
    if (row && !row.session.revokedAt) ({ id: sessionId, userId } = row.session);
  }
  if (!sessionId || !userId) return;
  const meta = { userId, actorId: userId, address: input.address, userAgent: input.userAgent };
  if (input.everywhere) {
    await revokeSession(db, { userId }, "logout_everywhere");
    await audit(db, { type: "logout_everywhere", ...meta });
  } else {
    await revokeSession(db, { id: sessionId }, "logout");
    await audit(db, { type: "logout", ...meta, detail: { sessionId } });
  }
}
