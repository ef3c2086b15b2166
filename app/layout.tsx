import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { SkipLink } from "@/components/ui/skip-link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Latchkey", template: "%s · Latchkey" },
  description: "Sign-in, sessions and user management, with JSON Web Tokens done properly.",
};

export const viewport: Viewport = {
  themeColor: "#fafafa",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The middleware's CSP allows only scripts carrying this request's nonce, and Next adds the
  // nonce only when it renders per request. A prerendered page (the 403 and 404 pages were) is
  // served with every script blocked, so no page may be static.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <SkipLink />
        {children}
      </body>
    </html>
  );
}
