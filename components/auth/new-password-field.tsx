"use client";

import { useEffect, useId, useState } from "react";
import { TextField } from "@/components/ui/text-field";
import { codePointLength } from "@/lib/validation/fields";

type Props = { label: string; name: string; minLength: number; errors: string[] | undefined; id?: string };

/** A password being chosen: the length rule and a running count as its hint, and a show-password toggle. */
export function NewPasswordField({ label, name, minLength, errors, id }: Props) {
  const [length, setLength] = useState(0);
  const [visible, setVisible] = useState(false);
  const toggleId = useId();
  // The running count needs scripts; before them (or without them) it would say "0 so far".
  const [counting, setCounting] = useState(false);
  useEffect(() => setCounting(true), []);
  return (
    <div>
      <TextField
        id={id}
        label={label}
        name={name}
        type={visible ? "text" : "password"}
        autoComplete="new-password"
        required
        // Code points, as the schema counts: an emoji is one character, not two.
        onChange={(e) => setLength(codePointLength(e.currentTarget.value))}
        hint={
          <>
            At least {minLength} characters; any characters, no required mix. A few unrelated words make a strong one.{" "}
            {counting ? <span className="tabular-nums">({length} so far)</span> : null}
          </>
        }
        errors={errors}
      />
      <div className="mt-2 flex items-center gap-2">
        <input
          id={toggleId}
          type="checkbox"
          checked={visible}
          onChange={(e) => setVisible(e.currentTarget.checked)}
          className="size-4 rounded border-zinc-300 accent-zinc-900"
        />
        <label htmlFor={toggleId} className="text-sm text-zinc-700">
          Show password
        </label>
      </div>
    </div>
  );
}
