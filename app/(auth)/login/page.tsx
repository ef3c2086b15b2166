import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { LoginForm } from "@/components/auth/login-form";
import { PasskeySignIn } from "@/components/auth/passkey-sign-in";
import { endedCookie, isOwnSignOut, sessionEndedSentence } from "@/lib/auth/session-ended";
import { firstParam, safeNext } from "@/lib/client/safe-next";
import { getViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Sign in" };

/** Shown after /reset-password sends here with ?reset=1. */
const PASSWORD_RESET_NOTICE = "Your password was changed. Sign in with the new one.";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

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

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNext(firstParam(params.next));
  if (await getViewer()) redirect(next ?? "/dashboard");

  const ended = firstParam(params.ended) ?? (await cookies()).get(endedCookie().name)?.value;
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
      <LoginForm next={next} notice={firstParam(params.reset) === "1" ? PASSWORD_RESET_NOTICE : null} />
      <PasskeySignIn next={next} />
    </AuthShell>
  );
}
