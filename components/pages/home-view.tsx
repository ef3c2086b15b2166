import Link from "next/link";
import { Brand } from "@/components/ui/brand";
import { buttonClasses } from "@/components/ui/button";

const POINTS = [
  ["Short-lived access tokens", "Signed ES256 JWTs that expire in minutes and renew silently while you work."],
  ["Rotating refresh sessions", "Each renewal rotates the refresh token; a stolen, replayed one ends the session."],
  ["Real revocation", "Signing out, changing a password or an admin action takes effect within a second."],
] as const;

// The home page, for both its copies (see login-view.tsx).
export function HomeView({ signedIn }: { signedIn: boolean }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex h-14 max-w-5xl items-center justify-between px-4 sm:px-6">
          <Brand />
          {signedIn ? null : (
            <Link href="/login" className={buttonClasses("ghost", "sm")}>
              Sign in
            </Link>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-16 sm:px-6 sm:py-24">
        <h1 className="max-w-2xl text-4xl font-semibold tracking-tight text-zinc-900 sm:text-5xl">
          Authentication you don&apos;t have to think about.
        </h1>
        <p className="mt-4 max-w-xl text-lg text-zinc-600">
          Latchkey signs you in with JSON Web Tokens done properly: every best practice in the tutorials, actually in place.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          {signedIn ? (
            <Link href="/dashboard" className={buttonClasses("primary")}>
              Go to your dashboard
            </Link>
          ) : (
            <>
              <Link href="/signup" className={buttonClasses("primary")}>
                Create an account
              </Link>
              <Link href="/login" className={buttonClasses("secondary")}>
                Sign in
              </Link>
            </>
          )}
        </div>
        <ul className="mt-16 grid gap-4 sm:grid-cols-3">
          {POINTS.map(([title, body]) => (
            <li key={title} className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm">
              <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
              <p className="mt-1.5 text-sm text-zinc-600">{body}</p>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
