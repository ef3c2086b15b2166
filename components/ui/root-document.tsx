import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { SkipLink } from "@/components/ui/skip-link";
import { ThemeProvider } from "@/components/ui/theme-toggle";
import type { Theme } from "@/lib/theme/theme";

// The <html> every page shares, for both root layouts: app/(site)/layout.tsx (rendered per
// request, theme from the cookie) and app/prerendered/[theme]/layout.tsx (built once per theme).

export const rootMetadata: Metadata = {
  title: { default: "Latchkey", template: "%s · Latchkey" },
  description: "Sign-in, sessions and user management, with JSON Web Tokens done properly.",
};

// The page background (zinc-50 in each scheme), so the browser's own bar matches it.
const LIGHT = "#fafafa";
const DARK = "#0e0e10";

export function themeViewport(theme: Theme): Viewport {
  if (theme !== "system") return { themeColor: theme === "dark" ? DARK : LIGHT };
  return {
    themeColor: [
      { media: "(prefers-color-scheme: light)", color: LIGHT },
      { media: "(prefers-color-scheme: dark)", color: DARK },
    ],
  };
}

/** data-theme is on <html> in the first byte of the page: no flash, no script (ADR 0018). */
export function RootDocument({ theme, children }: { theme: Theme; children: ReactNode }) {
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
