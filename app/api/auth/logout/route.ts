import { NextResponse } from "next/server";
import { extractToken, principalFromToken } from "@/lib/auth/authenticate";
import { refreshCookie } from "@/lib/auth/cookies";
import { logout } from "@/lib/auth/logout";
import { clearSessionCookies } from "@/lib/http/auth-response";
import { readJson } from "@/lib/http/body";
import { route } from "@/lib/http/route";
import { LogoutBodySchema } from "@/lib/validation/api-bodies";

export const POST = route(async ({ req, address, userAgent }) => {
  const body = await readJson(req, LogoutBodySchema, { optional: true });
  const found = extractToken(req.headers, req.cookies);
  const principal = found ? await principalFromToken(found.token, found.via) : null;
  await logout({
    sessionId: principal?.sessionId,
    userId: principal?.user.id,
    refreshToken: body.refresh_token ?? req.cookies.get(refreshCookie().name)?.value,
    everywhere: body.everywhere === true,
    address,
    userAgent,
  });
  const res = new NextResponse(null, { status: 204, headers: { "cache-control": "no-store" } });
  clearSessionCookies(res);
  return res;
});
