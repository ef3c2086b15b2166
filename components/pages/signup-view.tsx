import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignupForm } from "@/components/auth/signup-form";

// The sign-up page, for both its copies (see login-view.tsx).

export const signupMetadata: Metadata = { title: "Create an account" };

export function SignupView({ next, minLength }: { next: string | null; minLength: number }) {
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
