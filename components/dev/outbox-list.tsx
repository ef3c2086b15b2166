import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { OutboxEntry } from "@/lib/mail/mailer";

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** The plain-text part with its addresses made clickable (a mail client would do the same). */
function linkify(text: string): ReactNode[] {
  return text.split(URL_PATTERN).map((part, index) =>
    index % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text; their order never changes.
      <a key={index} href={part} rel="noreferrer" className="break-all text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function OutboxList({ mails }: { mails: OutboxEntry[] }) {
  return (
    <ol className="space-y-4">
      {mails.map((mail) => (
        <li key={mail.id}>
          <article aria-labelledby={`mail-${mail.id}`} className="rounded-lg border border-zinc-200 bg-white shadow-sm">
            <header className="border-b border-zinc-100 px-5 py-4">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <h2 id={`mail-${mail.id}`} className="min-w-0 text-base font-semibold break-words text-zinc-900">
                  {mail.subject}
                </h2>
                <Badge>{mail.kind.replaceAll("_", " ")}</Badge>
              </div>
              <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
                <dt className="text-zinc-600">To</dt>
                <dd className="break-all text-zinc-900">{mail.to}</dd>
                <dt className="text-zinc-600">Sent</dt>
                <dd className="text-zinc-900">
                  <time dateTime={mail.at}>{TIME.format(new Date(mail.at))} UTC</time>
                </dd>
              </dl>
            </header>
            <pre className="overflow-x-auto px-5 py-4 font-mono text-sm leading-6 break-words whitespace-pre-wrap text-zinc-800">
              {linkify(mail.text)}
            </pre>
          </article>
        </li>
      ))}
    </ol>
  );
}
