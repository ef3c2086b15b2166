import { SignupView, signupMetadata } from "@/components/pages/signup-view";
import { PrerenderedPath } from "@/components/ui/theme-toggle";
import { DEFAULT_PASSWORD_MIN_LENGTH } from "@/lib/edge/prerendered";

export const metadata = signupMetadata;

/** /signup for someone signed out, with no ?next=, on a server with the default PASSWORD_MIN_LENGTH. */
export default function PrerenderedSignup() {
  return (
    <PrerenderedPath path="/signup">
      <SignupView next={null} minLength={DEFAULT_PASSWORD_MIN_LENGTH} />
    </PrerenderedPath>
  );
}
