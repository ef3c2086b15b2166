import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { AppNav, type NavItem } from "./app-nav";
import { Brand } from "./brand";
import { buttonClasses } from "./button";
import { ThemeToggle } from "./theme-toggle";

export type HeaderViewer = { username: string; isAdmin: boolean } | null;

/** The top bar of the signed-in area. Display only: every page checks access itself. */
export function AppHeader({ viewer }: { viewer: HeaderViewer }) {
  const items: NavItem[] = [
    { href: "/dashboard", label: "Dashboard" },
    { href: "/account", label: "Account" },
    ...(viewer?.isAdmin ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Brand href={viewer ? "/dashboard" : "/"} />
        {viewer ? <AppNav items={items} /> : null}
        <div className="ml-auto flex min-w-0 items-center gap-3">
          <ThemeToggle />
          {viewer ? (
            <>
              <span className="min-w-0 max-w-[12rem] truncate text-sm text-zinc-600" title={viewer.username}>
                <span className="sr-only">Signed in as </span>
                <span className="font-medium text-zinc-900">{viewer.username}</span>
              </span>
              <SignOutButton />
            </>
          ) : (
            <Link href="/login" className={buttonClasses("secondary", "sm")}>
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
