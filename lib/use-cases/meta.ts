// Who a request came from, as use cases record it in sessions and audit events.
export type RequestMeta = { address: string; userAgent: string | null };

/**
 * The acting admin of an admin operation; null for the command line (`npm run user`). `sessionId`
 * is the admin's session, for operations that need a fresh authentication (SPEC "Step-up").
 */
export type AdminActor = RequestMeta & { actorId: string | null; sessionId?: string };
