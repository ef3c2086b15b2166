import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { NotFoundView } from "@/components/pages/not-found-view";
import { RootDocument, rootMetadata, themeViewport } from "@/components/ui/root-document";
import { parseTheme, THEME_COOKIE, type Theme } from "@/lib/theme/theme";
import "./globals.css";

// An address no page has. There are two root layouts (app/(site) and app/prerendered/[theme]),
// so Next renders this one on its own, with its own <html>: the same page as app/(site)/not-found.tsx,
// rendered per request like the pages under app/(site) (theme cookie, CSP nonce, who is signed in).

export const metadata: Metadata = { ...rootMetadata, title: "Page not found · Latchkey" };

async function chosenTheme(): Promise<Theme> {
  return parseTheme((await cookies()).get(THEME_COOKIE)?.value);
}

export async function generateViewport(): Promise<Viewport> {
  return themeViewport(await chosenTheme());
}

export default async function GlobalNotFound() {
  await connection();
  return (
    <RootDocument theme={await chosenTheme()}>
      <NotFoundView />
    </RootDocument>
  );
}
