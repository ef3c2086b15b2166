import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { StatusPage } from "@/components/ui/status-page";

/** The 403 page, shared by app/forbidden.tsx (forbidden()) and app/403 (the middleware's rewrite). */
export function ForbiddenView() {
  return (
    <StatusPage
      eyebrow="403 · Forbidden"
      title="You don't have access to this page"
      actions={
        <Link href="/dashboard" className={buttonClasses("primary")}>
          Go to your dashboard
        </Link>
      }
    >
      <p>Your account is signed in but does not have the role this page needs. If you think it should, ask an administrator.</p>
    </StatusPage>
  );
}
