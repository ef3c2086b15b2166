"use client";
// Never renders the error's message or stack: in production Next already replaces server errors
// with a digest, and client errors could carry anything. The digest lets support find the log line.
import Link from "next/link";
import { Button, buttonClasses } from "@/components/ui/button";
import { StatusPage } from "@/components/ui/status-page";

function digestOf(error: unknown): string | null {
  if (error && typeof error === "object" && "digest" in error && typeof error.digest === "string") return error.digest;
  return null;
}

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = digestOf(error);
  return (
    <StatusPage
      eyebrow="Something went wrong"
      title="We couldn't show this page"
      actions={
        <>
          <Button variant="primary" onClick={() => retry()}>
            Try again
          </Button>
          {/* Home, not the dashboard: this boundary cannot tell whether anyone is signed in, and home offers the right way on. */}
          <Link href="/" className={buttonClasses("secondary")}>
            Home
          </Link>
        </>
      }
    >
      <p>This is usually temporary. Try again in a moment.</p>
      {digest ? <p className="font-mono text-xs text-zinc-500">Reference: {digest}</p> : null}
    </StatusPage>
  );
}
