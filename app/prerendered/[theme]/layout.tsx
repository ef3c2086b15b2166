import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { RootDocument, rootMetadata, themeViewport } from "@/components/ui/root-document";
import { parseTheme, THEMES } from "@/lib/theme/theme";
import "../../globals.css";

// The root layout of the prerendered copies of the public pages: one per theme, built once, so
// data-theme is in the HTML without reading a cookie. The middleware rewrites a plain visit to
// /login to /prerendered/<theme from the cookie>/login and never serves this path at its own
// address; server.ts gives the response a CSP with the hashes of its inline scripts
// (docs/decisions/0020-prerendered-pages.md).

export const dynamicParams = false;

export function generateStaticParams(): { theme: string }[] {
  return THEMES.map((theme) => ({ theme }));
}

export const metadata: Metadata = { ...rootMetadata, robots: { index: false } };

type Params = Promise<{ theme: string }>;

export async function generateViewport({ params }: { params: Params }): Promise<Viewport> {
  return themeViewport(parseTheme((await params).theme));
}

export default async function PrerenderedLayout({ children, params }: { children: ReactNode; params: Params }) {
  return <RootDocument theme={parseTheme((await params).theme)}>{children}</RootDocument>;
}
