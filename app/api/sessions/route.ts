import { requirePrincipal } from "@/lib/auth/authenticate";
import { json, noContent } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { endOtherSessions } from "@/lib/use-cases/account/end-other-sessions";
import { listSessions } from "@/lib/use-cases/account/list-sessions";

export const GET = route(async ({ req, deps }) => {
  const me = await requirePrincipal(deps, req);
  return json({ sessions: await listSessions(deps, { userId: me.user.id, currentSessionId: me.sessionId }) });
});

export const DELETE = route(async ({ req, deps, meta }) => {
  const me = await requirePrincipal(deps, req);
  await endOtherSessions(deps, { userId: me.user.id, currentSessionId: me.sessionId, meta });
  return noContent();
});
