import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth/auth-shell";
import { LoginForm } from "@/components/auth/login-form";
import { PasskeySignIn } from "@/components/auth/passkey-sign-in";
import { isOwnSignOut, sessionEndedSentence } from "@/lib/auth/session-ended";

// The sign-in page, for both its copies: rendered per request (app/(site)/(auth)/login) and
// prerendered for a plain visit (app/prerendered/[theme]/login).

export const loginMetadata: Metadata = { title: "Sign in" };

/** Shown after /reset-password sends here with ?reset=1. */
const PASSWORD_RESET_NOTICE = "Your password was changed. Sign in with the new one.";

/**
 * Why the last session ended: a code from the refresh endpoint (?ended= after a page navigation,
 * a short-lived cookie after a page script's refresh), shown as a fixed sentence only.
 */
function SessionEndedNotice({ code }: { code: string | undefined }) {
  const sentence = sessionEndedSentence(code);
  if (!sentence) return null;
  const tone = isOwnSignOut(code) ? "border-emerald-200 bg-emerald-50 text-emerald-800" : "border-amber-300 bg-amber-50 text-amber-900";
  return (
    <p role="status" className={`mb-5 rounded-md border px-3 py-2 text-sm text-pretty ${tone}`}>
      {sentence}
    </p>
  );
}

export function LoginView({ next, ended, passwordReset }: { next: string | null; ended?: string; passwordReset: boolean }) {
  const signupHref = next ? `/signup?next=${encodeURIComponent(next)}` : "/signup";
  return (
    <AuthShell
      title="Sign in to Latchkey"
      description={next ? "Sign in to continue to the page you asked for." : "Welcome back."}
      footer={
        <>
          New here?{" "}
          <Link href={signupHref} className="font-medium text-indigo-700 underline-offset-4 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <SessionEndedNotice code={ended} />
      <LoginForm next={next} notice={passwordReset ? PASSWORD_RESET_NOTICE : null} />
      <PasskeySignIn next={next} />
    </AuthShell>
  );
}
