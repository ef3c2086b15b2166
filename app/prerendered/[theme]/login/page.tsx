import { LoginView, loginMetadata } from "@/components/pages/login-view";
import { PrerenderedPath } from "@/components/ui/theme-toggle";

export const metadata = loginMetadata;

/** /login for someone signed out, with no ?next=, ?ended= or ?reset= and no session-ended cookie. */
export default function PrerenderedLogin() {
  return (
    <PrerenderedPath path="/login">
      <LoginView next={null} passwordReset={false} />
    </PrerenderedPath>
  );
}
