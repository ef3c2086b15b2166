// Where a sign-out lands, for the script path (components/auth/sign-out-button.tsx) and the form
// action alike: the sign-in page, saying why (lib/auth/session-ended.ts has the sentences).
import type { SessionEndedCode } from "@/lib/auth/session-ended";

export function signedOutUrl(everywhere: boolean): string {
  const code: SessionEndedCode = everywhere ? "signed_out_everywhere" : "signed_out";
  return `/login?ended=${code}`;
}
