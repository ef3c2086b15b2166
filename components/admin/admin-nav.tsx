import Link from "next/link";

const TABS = [
  { key: "users", href: "/admin", label: "Users" },
  { key: "audit", href: "/admin/audit", label: "Audit log" },
] as const;

export function AdminNav({ current }: { current: (typeof TABS)[number]["key"] }) {
  return (
    <nav aria-label="Admin sections" className="mb-6 border-b border-zinc-200">
      <ul className="-mb-px flex gap-4">
        {TABS.map((tab) => (
          <li key={tab.key}>
            <Link
              href={tab.href}
              aria-current={tab.key === current ? "page" : undefined}
              className={[
                "inline-block border-b-2 px-1 pb-2.5 text-sm font-medium transition-colors",
                tab.key === current
                  ? "border-zinc-900 text-zinc-900"
                  : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900",
              ].join(" ")}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
