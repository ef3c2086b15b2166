import type { NextRequest } from "next/server";
import { edgeConfig } from "@/lib/edge/config";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/respond";
import { isSameOrigin } from "@/lib/http/same-origin";
import { parseTheme, themeCookie, themeReturnPath } from "@/lib/theme/theme";

// The theme toggle without JavaScript: its form posts here, and the page comes back (303) with
// the cookie set, so the root layout renders the chosen scheme. With JavaScript the toggle sets
// the same cookie itself and never calls this. Not route(): the pages that carry a token send
// no Referer, so their posts say `Origin: null`, and Sec-Fetch-Site is what vouches for them.
export async function POST(req: NextRequest): Promise<Response> {
  const site = req.headers.get("sec-fetch-site");
  const sameSite = req.headers.get("origin") === "null" ? site === "same-origin" : isSameOrigin(req.headers);
  if (!sameSite) return errorResponse(new AppError("cross_site_request"));
  const form = await req.formData().catch(() => null);
  const { appUrl, secureCookies } = edgeConfig();
  const origin = new URL(appUrl).origin;
  const back = themeReturnPath(form?.get("next"), req.headers.get("referer"), origin);
  return new Response(null, {
    status: 303,
    headers: {
      location: new URL(back, origin).toString(),
      "set-cookie": themeCookie(parseTheme(form?.get("theme")), secureCookies),
      "cache-control": "no-store",
    },
  });
}
