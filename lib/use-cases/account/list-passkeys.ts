// The caller's passkeys, oldest first.
import { PASSKEY_DTO_SELECT, type PasskeyDto, toPasskeyDto } from "@/lib/auth/passkeys";
import type { Deps } from "@/lib/deps";

export async function listPasskeys(deps: Deps, input: { userId: string }): Promise<PasskeyDto[]> {
  const rows = await deps.db.passkey.findMany({
    where: { userId: input.userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: PASSKEY_DTO_SELECT,
  });
  return rows.map(toPasskeyDto);
}
