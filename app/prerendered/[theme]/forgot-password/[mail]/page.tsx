import { ForgotPassword } from "@/components/auth/forgot-password-form";
import { forgotPasswordMetadata } from "@/components/pages/forgot-password-metadata";
import { PrerenderedPath } from "@/components/ui/theme-toggle";

export const metadata = forgotPasswordMetadata;

/** One copy for each EMAIL_DELIVERY; the middleware picks the server's. */
export function generateStaticParams(): { mail: string }[] {
  return [{ mail: "on" }, { mail: "off" }];
}

export default async function PrerenderedForgotPassword({ params }: { params: Promise<{ mail: string }> }) {
  return (
    <PrerenderedPath path="/forgot-password">
      <ForgotPassword mailEnabled={(await params).mail === "on"} />
    </PrerenderedPath>
  );
}
