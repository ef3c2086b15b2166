import { requirePrincipal } from "@/lib/auth/authenticate";
import { endOtherSessions, listSessions } from "@/lib/account/sessions";
import { getDb } from "@/lib/db/client";
import { json, noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const GET = route(async ({ req }) => {
  const me = await requirePrincipal(req.headers, req.cookies);
  return json({ sessions: await listSessions(getDb(), me.user.id, me.sessionId) });
});

export const DELETE = route(async ({ req, address, userAgent }) => {
  const me = await requirePrincipal(req.headers, req.cookies);
  await endOtherSessions(getDb(), me.user.id, me.sessionId, { address, userAgent });
  return noContent();
});
