// Puts a person's values into a shell prerendered with slots (lib/pages/slots.ts,
// docs/decisions/0023-dashboard-shell.md). A slot can land in two places, each with its own
// escaping, and the fill gives each the same bytes a render with the real value would have:
// - the HTML, where React escapes text and attributes alike (& < > " ');
// - the flight data Next inlines for hydration, `self.__next_f.push([1,"…"])`: rows of JSON, in
//   a JavaScript string literal (JSON again), with < > & U+2028 U+2029 escaped as \u…
//   (Next's htmlEscapeJsonString) so the script cannot be closed from inside. React Flight also
//   writes a string prop that begins with "$" as "$$…"; a slot that is a whole prop gets the same.
// The inline scripts' bytes change, so their CSP hashes are taken here, per fill. Node only.
import { createHash } from "node:crypto";
import { SLOT_PATTERN } from "./slots";

export type FillValues = {
  /** Slot name → its text. */
  text: Record<string, string>;
  /** numberSlot(i) → the number. */
  numbers?: Record<number, number>;
};

export class ShellFillError extends Error {}

const SCRIPT = /(<script\b([^>]*)>)([\s\S]*?)(<\/script>)/gi;
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
const SCRIPT_ESCAPES: Record<string, string> = {
  "&": "\\u0026",
  "<": "\\u003c",
  ">": "\\u003e",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `value` as it appears inside a flight row's string, inside the script's string literal. */
export function escapeFlight(value: string, wholeProp: boolean): string {
  const flight = wholeProp && value.startsWith("$") ? `$${value}` : value;
  const inRow = JSON.stringify(flight).slice(1, -1);
  const inLiteral = JSON.stringify(inRow).slice(1, -1);
  return inLiteral.replace(/[&<>\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c] ?? c);
}

function textOf(values: FillValues, name: string): string {
  const value = values.text[name];
  if (value === undefined) throw new ShellFillError(`no value for the slot ${name}`);
  return value;
}

function fillNumbers(part: string, values: FillValues): string {
  let out = part;
  for (const [placeholder, number] of Object.entries(values.numbers ?? {})) {
    if (!Number.isFinite(number)) throw new ShellFillError(`the number for ${placeholder} is not finite`);
    out = out.replaceAll(placeholder, String(number));
  }
  return out;
}

function fillHtmlPart(part: string, values: FillValues): string {
  return fillNumbers(
    part.replace(SLOT_PATTERN, (_, name: string) => escapeHtml(textOf(values, name))),
    values,
  );
}

function fillScriptBody(body: string, values: FillValues): string {
  const filled = body.replace(SLOT_PATTERN, (match: string, name: string, at: number) => {
    // In the literal, a row's string quote is \" : the slot is the whole string when both sides are quotes.
    const wholeProp = body.endsWith('\\"', at) && body.startsWith('\\"', at + match.length);
    return escapeFlight(textOf(values, name), wholeProp);
  });
  return fillNumbers(filled, values);
}

export function scriptHash(body: string): string {
  return `sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`;
}

/**
 * The shell with every slot filled, and the hashes of its inline scripts for the CSP. Throws
 * ShellFillError for a slot it has no value for; a value is never read back as a slot.
 */
export function fillShell(shell: string, values: FillValues): { html: string; scriptHashes: string[] } {
  const parts: string[] = [];
  const hashes = new Set<string>();
  let last = 0;
  for (const match of shell.matchAll(SCRIPT)) {
    const [whole, open = "", attributes = "", body = "", close = ""] = match;
    parts.push(fillHtmlPart(shell.slice(last, match.index) + open, values));
    const inline = !/\ssrc=/i.test(attributes);
    const filled = inline ? fillScriptBody(body, values) : body;
    if (inline && filled.length > 0) hashes.add(scriptHash(filled));
    parts.push(filled, close);
    last = match.index + whole.length;
  }
  parts.push(fillHtmlPart(shell.slice(last), values));
  return { html: parts.join(""), scriptHashes: [...hashes] };
}
