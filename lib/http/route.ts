import type { NextRequest } from "next/server";
import { isDbUnavailable } from "@/lib/db/errors";
import { type Deps, deps } from "@/lib/deps";
import { KeyConfigError } from "@/lib/edge/keys";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { bindRequestMeta, type RequestMeta } from "@/lib/use-cases/meta";
import { clientAddress, userAgent } from "./client-info";
import { errorResponse } from "./respond";
import { isSameOrigin } from "./same-origin";

export type RouteContext = {
  req: NextRequest;
  params: Record<string, string>;
  /** What every use case takes first. */
  deps: Deps;
  /**
   * Who sent the request, for sessions and audit events. Authenticating the request as an
   * impersonation session adds the impersonating admin as `actorId` (lib/use-cases/meta.ts).
   */
  meta: RequestMeta;
  /** The request carried Authorization: Bearer (a script); no cookie is read or set for it. */
  bearer: boolean;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function hasBearer(headers: Headers): boolean {
  return /^bearer\s/i.test(headers.get("authorization") ?? "");
}

export function toErrorResponse(e: unknown): Response {
  if (e instanceof AppError) return errorResponse(e);
  if (isDbUnavailable(e) || e instanceof KeyConfigError) {
    log.error({ err: e instanceof Error ? e.message : String(e) }, "dependency unavailable");
    return errorResponse(new AppError("service_unavailable", { headers: { "retry-after": "5" } }));
  }
  log.error({ err: e }, "unhandled error in route");
  return errorResponse(new AppError("internal_error"));
}

/**
 * Wraps a route handler: cross-site check for cookie-carrying writes, params, client info, the
 * dependencies, and one place where every thrown error becomes the SPEC's JSON body (never a
 * stack trace). A handler reads: parse → authorize → one use-case call → respond.
 */
export function route(fn: (ctx: RouteContext) => Promise<Response>) {
  return async (req: NextRequest, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const bearer = hasBearer(req.headers);
      if (!SAFE_METHODS.has(req.method) && !bearer && !isSameOrigin(req.headers)) throw new AppError("cross_site_request");
      const params = (await context?.params) ?? {};
      const meta: RequestMeta = { address: clientAddress(req.headers), userAgent: userAgent(req.headers) };
      bindRequestMeta(req, meta);
      return await fn({ req, params, deps: deps(), meta, bearer });
    } catch (e) {
      return toErrorResponse(e);
    }
  };
}
