import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignupForm } from "@/components/auth/signup-form";
import { firstParam, safeNext } from "@/lib/client/safe-next";
import { config } from "@/lib/config";
import { getViewer } from "@/lib/dal";

export const metadata: Metadata = { title: "Create an account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignupPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNext(firstParam((await searchParams).next));
  if (await getViewer()) redirect(next ?? "/dashboard");

  const minLength = config().PASSWORD_MIN_LENGTH;
  const loginHref = next ? `/login?next=${encodeURIComponent(next)}` : "/login";
  return (
    <AuthShell
      title="Create your account"
      description={
        <p>
          Your password needs at least {minLength} characters. There are no rules about symbols, digits or capitals: length is what makes it
          strong. Common or leaked passwords, and passwords containing your username, are refused.
        </p>
      }
      footer={
        <>
          Already have an account?{" "}
          <Link href={loginHref} className="font-medium text-indigo-700 underline-offset-4 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignupForm next={next} minPasswordLength={minLength} />
    </AuthShell>
  );
}
