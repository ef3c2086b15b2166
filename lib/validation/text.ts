import { z } from "zod";

// C0 controls (NUL, line breaks, ESC...), DEL and C1 controls. None belongs in a name, an email
// or a password, and NUL in particular is where C libraries (and bcrypt) stop reading.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
// With the u flag a paired surrogate is one code point, so this matches only lone halves, which
// JSON escapes ("\ud800") can smuggle in and which UTF-8 encoding would silently turn into U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;
// Default-ignorable code points (zero-width space and joiners U+200B-U+200D, soft hyphen U+00AD,
// word joiner U+2060, BOM U+FEFF, CGJ U+034F, Mongolian vowel separator U+180E, variation
// selectors, Hangul fillers...) and format characters (Cf) render as nothing, so two strings that
// look the same can differ. Controls (Cc) are CONTROL_CHARS above, which has its own message.
const INVISIBLE_CHARS = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
// Digits, punctuation, symbols and combining marks shared by every script.
const COMMON_OR_INHERITED = /[\p{Script=Common}\p{Script=Inherited}]/u;
// ISO 15924 codes of the Unicode 17 scripts, less Common (Zyyy), Inherited (Zinh) and Unknown (Zzzz).
const SCRIPT_CODES = (
  "Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Berf Bhks Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham " +
  "Cher Chrs Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm Goth Gran Grek " +
  "Gujr Gukh Guru Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda " +
  "Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Mlym Modi " +
  "Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm " +
  "Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sidt Sind Sinh Sogd Sogo Sora Soyo " +
  "Sund Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa Todr Tols Toto " +
  "Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb"
).split(" ");
// UTS #39's "highly restrictive" level allows these mixes beside a single script: Japanese, Chinese, Korean.
const ALLOWED_SCRIPT_MIXES = [
  ["Latn", "Hani", "Hira", "Kana"],
  ["Latn", "Hani", "Bopo"],
  ["Latn", "Hani", "Hang"],
];

let scriptPattern: { re: RegExp; codes: string[] } | undefined;

// Built on first use, one script name at a time: a browser whose Unicode data is older than this
// list throws on a name it does not know, and its characters then count as Unknown instead of
// the module failing to load.
function scriptMatcher() {
  if (scriptPattern) return scriptPattern;
  const codes = SCRIPT_CODES.filter((code) => {
    try {
      new RegExp(`\\p{Script=${code}}`, "u");
      return true;
    } catch {
      return false;
    }
  });
  scriptPattern = { re: new RegExp(`^(?:${codes.map((code) => `(\\p{Script=${code}})`).join("|")})$`, "u"), codes };
  return scriptPattern;
}

/** Length in Unicode code points, the unit NIST SP 800-63B counts (not UTF-16 code units). */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function hasControlChars(value: string): boolean {
  return CONTROL_CHARS.test(value);
}

export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Whether the value holds a character that renders as nothing (see INVISIBLE_CHARS). */
export function hasInvisibleChars(value: string): boolean {
  return INVISIBLE_CHARS.test(value);
}

/**
 * The scripts (ISO 15924 codes) of the value's characters, leaving out Common and Inherited ones
 * (digits, punctuation, combining marks); a character of no known script counts as "Zzzz".
 */
export function scriptsOf(value: string): Set<string> {
  const { re, codes } = scriptMatcher();
  const scripts = new Set<string>();
  for (const char of value) {
    if (COMMON_OR_INHERITED.test(char)) continue;
    const group = re.exec(char)?.findIndex((g, i) => i > 0 && g !== undefined) ?? -1;
    scripts.add((group > 0 && codes[group - 1]) || "Zzzz");
  }
  return scripts;
}

/**
 * Unicode UTS #39 "highly restrictive": the letters come from one script, or from Latin with Han
 * and Hiragana/Katakana (Japanese), Bopomofo (Chinese) or Hangul (Korean). So "pаypal" with a
 * Cyrillic "а" fails while "иван", "josé" and "山田タロウ" pass.
 */
export function isHighlyRestrictive(value: string): boolean {
  const scripts = [...scriptsOf(value)];
  return scripts.length <= 1 || ALLOWED_SCRIPT_MIXES.some((mix) => scripts.every((s) => mix.includes(s)));
}

/** NFKC then lowercase: how names and emails are stored and compared (SPEC, "Accounts"). */
export function foldIdentifier(value: string): string {
  return value.normalize("NFKC").toLowerCase();
}

const typeError = (label: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${label} is required.` : `${label} must be text.`;

/** A string that refuses control characters and lone surrogates, with the field's label in every message. */
export function text(label: string) {
  return z
    .string({ error: typeError(label) })
    .refine((v) => !hasControlChars(v), `${label} must not contain control characters (such as NUL or line breaks).`)
    .refine(isWellFormedText, `${label} contains an invalid character.`);
}

/** An optional query/body value where an empty string means "not given" (HTML forms send ""). */
export function blankAsUndefined(value: unknown): unknown {
  return value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;
}
