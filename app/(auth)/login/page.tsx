import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { LoginForm } from "@/components/auth/login-form";
import { PasskeySignIn } from "@/components/auth/passkey-sign-in";
import { firstParam, safeNext } from "@/lib/client/safe-next";
import { getViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Sign in" };

/** Shown after /reset-password sends here with ?reset=1. */
const PASSWORD_RESET_NOTICE = "Your password was changed. Sign in with the new one.";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNext(firstParam(params.next));
  if (await getViewer()) redirect(next ?? "/dashboard");

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
      <LoginForm next={next} notice={firstParam(params.reset) === "1" ? PASSWORD_RESET_NOTICE : null} />
      <PasskeySignIn next={next} />
    </AuthShell>
  );
}
