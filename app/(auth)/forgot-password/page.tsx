import type { Metadata } from "next";
import { ForgotPassword } from "@/components/auth/forgot-password-form";
import { config } from "@/lib/config";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return <ForgotPassword mailEnabled={config().EMAIL_DELIVERY === "on"} />;
}
