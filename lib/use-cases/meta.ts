// Who a request came from, as use cases record it in sessions and audit events.
export type RequestMeta = {
  address: string;
  userAgent: string | null;
  /**
   * Present only while an admin impersonates the signed-in user (docs/decisions/0015-impersonation.md):
   * the admin's id. Use cases spread the meta after their own `actorId`, so every audit event
   * written during an impersonation names the admin as actor. Never set it to undefined: the
   * spread would then erase the use case's actor.
   */
  actorId?: string;
};

/**
 * The acting admin of an admin operation; null for the command line (`npm run user`). `sessionId`
 * is the admin's session, for operations that need a fresh authentication (SPEC "Step-up").
 */
export type AdminActor = Omit<RequestMeta, "actorId"> & { actorId: string | null; sessionId?: string };

// The route wrapper binds each request's meta here, and the authentication of that request
// (lib/auth/authenticate.ts) fills in the impersonator once the session row has named one. A
// WeakMap keyed by the request object: nothing outlives the request, nothing is shared between two.
const metaOfRequest = new WeakMap<object, RequestMeta>();

export function bindRequestMeta(req: object, meta: RequestMeta): void {
  metaOfRequest.set(req, meta);
}

/** Called by request authentication when the session is an impersonation. */
export function attributeToImpersonator(req: object, impersonatorId: string): void {
  const meta = metaOfRequest.get(req);
  if (meta) meta.actorId = impersonatorId;
}
