import { ForgotPassword } from "@/components/auth/forgot-password-form";
import { forgotPasswordMetadata } from "@/components/pages/forgot-password-metadata";
import { config } from "@/lib/config";

export const metadata = forgotPasswordMetadata;

export default function ForgotPasswordPage() {
  return <ForgotPassword mailEnabled={config().EMAIL_DELIVERY === "on"} />;
}
