"use client";

import { useState } from "react";
import { copyText } from "@/components/account/copy-text";

/** A long id, UUID or token: recognised so it can be shortened rather than wrapped mid-token. */
export function isLongId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) || /^[A-Za-z0-9_-]{20,}$/.test(value);
}

/** An id shown by its first 8 characters, the whole of it in the tooltip and one click from the clipboard. */
export function ShortId({ id, label }: { id: string; label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <span className="inline-flex items-center gap-1 align-baseline whitespace-nowrap">
      <code title={id} className="rounded bg-zinc-100 px-1 font-mono text-xs text-zinc-800">
        {id.slice(0, 8)}
      </code>
      <button
        type="button"
        onClick={async () => setCopied(await copyText(id))}
        onBlur={() => setCopied(null)}
        title={copied ? "Copied" : `Copy the full ${label.toLowerCase()} id`}
        className="rounded px-1 text-xs text-zinc-600 underline decoration-zinc-300 underline-offset-2 hover:text-zinc-900 hover:decoration-zinc-900"
      >
        {copied ? "Copied" : "Copy"}
        <span className="sr-only">
          {copied === false ? ": the clipboard refused, the id is " : " the full "}
          {copied === false ? id : `${label.toLowerCase()} id`}
        </span>
      </button>
    </span>
  );
}
