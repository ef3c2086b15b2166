import type { HeaderViewer } from "@/components/ui/app-header";
import { NextStepLinks, StatusPage } from "@/components/ui/status-page";

/** The 403 page, shared by app/forbidden.tsx (forbidden()) and app/403 (the middleware's rewrite). */
export function ForbiddenView({ viewer }: { viewer: HeaderViewer }) {
  return (
    <StatusPage
      eyebrow="403 · Forbidden"
      title="You don't have access to this page"
      viewer={viewer}
      actions={<NextStepLinks signedIn={viewer !== null} />}
    >
      {viewer ? (
        <p>
          You are signed in as <strong className="font-medium text-zinc-900">{viewer.username}</strong>, and this page needs a role your
          account does not have. If you think it should, ask an administrator.
        </p>
      ) : (
        <p>Sign in with an account that has access to this page.</p>
      )}
    </StatusPage>
  );
}
