import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { LoginView, loginMetadata } from "@/components/pages/login-view";
import { endedCookie } from "@/lib/auth/session-ended";
import { firstParam, safeNext } from "@/lib/client/safe-next";
import { getViewer } from "@/lib/dal";

export const metadata = loginMetadata;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const next = safeNext(firstParam(params.next));
  if (await getViewer()) redirect(next ?? "/dashboard");
  const ended = firstParam(params.ended) ?? (await cookies()).get(endedCookie().name)?.value;
  return <LoginView next={next} ended={ended} passwordReset={firstParam(params.reset) === "1"} />;
}
