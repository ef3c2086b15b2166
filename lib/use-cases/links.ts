// The addresses mails point at (SPEC: `${APP_URL}/reset-password?token=…` and friends).
import type { Deps } from "@/lib/deps";

export type LinkPage = "/reset-password" | "/verify-email" | "/confirm-email";

export function linkTo(deps: Pick<Deps, "config">, page: LinkPage, token: string): string {
  return `${deps.config.APP_URL}${page}?token=${token}`;
}

export function pageUrl(deps: Pick<Deps, "config">, path: string): string {
  return `${deps.config.APP_URL}${path}`;
}
