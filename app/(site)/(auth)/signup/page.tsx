import { redirect } from "next/navigation";
import { SignupView, signupMetadata } from "@/components/pages/signup-view";
import { firstParam, safeNext } from "@/lib/client/safe-next";
import { config } from "@/lib/config";
import { getViewer } from "@/lib/dal";

export const metadata = signupMetadata;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignupPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNext(firstParam((await searchParams).next));
  if (await getViewer()) redirect(next ?? "/dashboard");
  return <SignupView next={next} minLength={config().PASSWORD_MIN_LENGTH} />;
}
