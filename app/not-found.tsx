import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { StatusPage } from "@/components/ui/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage
      eyebrow="404 · Not found"
      title="This page doesn't exist"
      actions={
        <>
          <Link href="/dashboard" className={buttonClasses("primary")}>
            Go to your dashboard
          </Link>
          <Link href="/" className={buttonClasses("secondary")}>
            Home
          </Link>
        </>
      }
    >
      <p>The address may be mistyped, or the page may have moved.</p>
    </StatusPage>
  );
}
