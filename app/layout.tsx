import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { SkipLink } from "@/components/ui/skip-link";
import { ThemeProvider } from "@/components/ui/theme-toggle";
import { parseTheme, THEME_COOKIE, type Theme } from "@/lib/theme/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Latchkey", template: "%s · Latchkey" },
  description: "Sign-in, sessions and user management, with JSON Web Tokens done properly.",
};

// The page background (zinc-50 in each scheme), so the browser's own bar matches it.
const LIGHT = "#fafafa";
const DARK = "#0e0e10";

async function chosenTheme(): Promise<Theme> {
  return parseTheme((await cookies()).get(THEME_COOKIE)?.value);
}

export async function generateViewport(): Promise<Viewport> {
  const theme = await chosenTheme();
  if (theme !== "system") return { themeColor: theme === "dark" ? DARK : LIGHT };
  return {
    themeColor: [
      { media: "(prefers-color-scheme: light)", color: LIGHT },
      { media: "(prefers-color-scheme: dark)", color: DARK },
    ],
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The middleware's CSP allows only scripts carrying this request's nonce, and Next adds the
  // nonce only when it renders per request. A prerendered page (the 403 and 404 pages were) is
  // served with every script blocked, so no page may be static.
  await connection();
  // Read on the server, so the first paint is already in the chosen scheme: no flash, no script.
  const theme = await chosenTheme();
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body className="min-h-dvh">
        <ThemeProvider initial={theme}>
          <SkipLink />
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
