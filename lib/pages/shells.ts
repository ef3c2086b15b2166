// The prerendered shells' HTML, read from the build once per process (they never change after it)
// and filled per request (docs/decisions/0023-dashboard-shell.md). Node only.
import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { nextDistDir } from "@/lib/config";
import { prerenderedPagePolicy } from "@/lib/edge/csp";
import { PRERENDERED_PREFIX } from "@/lib/edge/prerendered";
import type { Theme } from "@/lib/theme/theme";
import { type FillValues, fillShell } from "./fill";

const shells = new Map<string, Promise<string>>();

/** The shell /prerendered/<theme>/shell/<page>/<variant> as the build wrote it. */
function shellHtml(theme: Theme, page: string, variant: string): Promise<string> {
  const route = `${PRERENDERED_PREFIX}/${theme}/shell/${page}/${variant}`;
  let html = shells.get(route);
  if (!html) {
    html = readFile(path.join(nextDistDir(process.cwd()), "server", "app", `${route}.html`), "utf8");
    // A failed read is not kept: the next request tries again.
    html.catch(() => shells.delete(route));
    shells.set(route, html);
  }
  return html;
}

/** A filled shell as a response: the HTML, and a CSP allowing exactly its inline scripts. */
export async function filledShellResponse(theme: Theme, page: string, variant: string, values: FillValues): Promise<Response> {
  const { html, scriptHashes } = fillShell(await shellHtml(theme, page, variant), values);
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": prerenderedPagePolicy(scriptHashes),
      // The person's own data: no cache may keep it (as the middleware says of every protected page).
      "cache-control": "private, no-store",
    },
  });
}
