"use client";

import { useId, useRef, useState } from "react";
import { copyText } from "@/components/account/copy-text";
import { Button } from "@/components/ui/button";

/** A one-time link shown to the admin (a setup or reset link): read-only, selectable, with a copy button. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const hintId = `${id}-hint`;

  async function copy() {
    const ok = await copyText(value);
    setCopied(ok ? "yes" : "no");
    // Selected either way: if the clipboard refused, Ctrl+C is one key away.
    if (!ok) inputRef.current?.select();
  }

  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
        {label}
      </label>
      <div className="mt-1.5 flex flex-wrap gap-2 sm:flex-nowrap">
        <input
          ref={inputRef}
          id={id}
          readOnly
          value={value}
          aria-describedby={hint ? hintId : undefined}
          onFocus={(e) => e.currentTarget.select()}
          className="block h-10 w-full min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 font-mono text-xs text-zinc-900 shadow-sm"
        />
        <Button variant="secondary" onClick={() => void copy()}>
          Copy link
        </Button>
      </div>
      {hint ? (
        <p id={hintId} className="mt-1.5 text-xs text-zinc-600">
          {hint}
        </p>
      ) : null}
      <p role="status" className={copied ? "mt-1.5 text-xs text-zinc-700" : "sr-only"}>
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "no"
            ? "Couldn't copy: the link is selected, copy it with Ctrl+C or ⌘C."
            : ""}
      </p>
    </div>
  );
}
