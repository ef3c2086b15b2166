import Link from "next/link";

export function KeyIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className={className}
    >
      <circle cx="7.5" cy="15.5" r="4.5" />
      <path d="m10.7 12.3 9.8-9.8M17 6l3 3M14.5 8.5l2 2" />
    </svg>
  );
}

/** The product name, linking home. */
export function Brand({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 rounded-md text-base font-semibold tracking-tight text-zinc-900">
      <span className="grid size-7 place-items-center rounded-md bg-zinc-900 text-white">
        <KeyIcon className="size-4" />
      </span>
      Latchkey
    </Link>
  );
}
