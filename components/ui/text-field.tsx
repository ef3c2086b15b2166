import { type ComponentProps, type ReactNode, useId } from "react";

type TextFieldProps = Omit<ComponentProps<"input">, "id"> & {
  label: string;
  /** A fixed id, for an error summary to link to; a generated one otherwise. */
  id?: string;
  name: string;
  /** Messages for this field from the server (or the form's own checks). */
  errors?: string[] | undefined;
  hint?: ReactNode;
  /** Shown after the label, e.g. "optional". */
  labelNote?: string;
};

export function TextField({ label, name, errors, hint, labelNote, className, id: fixedId, ...input }: TextFieldProps) {
  const generatedId = useId();
  const id = fixedId ?? generatedId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = errors !== undefined && errors.length > 0;
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
        {label}
        {labelNote ? <span className="ml-1 font-normal text-zinc-500">({labelNote})</span> : null}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={[
          "mt-1.5 block h-10 w-full rounded-md border bg-white px-3 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400",
          "disabled:cursor-not-allowed disabled:bg-zinc-100",
          invalid ? "border-red-500" : "border-zinc-300 hover:border-zinc-400",
        ].join(" ")}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1.5 text-xs text-zinc-600">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <ul id={errorId} className="mt-1.5 space-y-0.5 text-sm text-red-700">
          {errors.map((message, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat; the index with the message is stable for one render.
            <li key={`${index}:${message}`}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
