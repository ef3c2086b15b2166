import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { RootDocument, rootMetadata, themeViewport } from "@/components/ui/root-document";
import { parseTheme, THEME_COOKIE, type Theme } from "@/lib/theme/theme";
import "../globals.css";

// The root layout of every page rendered per request. The public pages a signed-out visitor
// opens without a query have a second, prerendered copy under app/prerendered/[theme] (its own
// root layout), which the middleware serves instead (docs/decisions/0020-prerendered-pages.md).

export const metadata: Metadata = rootMetadata;

async function chosenTheme(): Promise<Theme> {
  return parseTheme((await cookies()).get(THEME_COOKIE)?.value);
}

export async function generateViewport(): Promise<Viewport> {
  return themeViewport(await chosenTheme());
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The middleware's CSP allows only scripts carrying this request's nonce, and Next adds the
  // nonce only when it renders per request. A page here that Next prerendered would be served
  // with every script blocked, so every page under this layout renders per request.
  await connection();
  // Read on the server, so the first paint is already in the chosen scheme: no flash, no script.
  return <RootDocument theme={await chosenTheme()}>{children}</RootDocument>;
}
