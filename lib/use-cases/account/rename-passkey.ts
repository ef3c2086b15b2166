// Renames one of the caller's passkeys (fresh authentication). Another account's passkey answers
// exactly like a missing one.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { isCredentialId, PASSKEY_DTO_SELECT, type PasskeyDto, toPasskeyDto } from "@/lib/auth/passkeys";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";

export type RenamePasskeyInput = { userId: string; sessionId: string; passkeyId: string; name: string; meta: RequestMeta };

export const noSuchPasskey = () => new AppError("not_found", { message: "No such passkey." });

export async function renamePasskey(deps: Deps, input: RenamePasskeyInput): Promise<PasskeyDto> {
  await requireFreshAuthentication(deps, input.sessionId);
  const { userId, passkeyId } = input;
  const name = input.name.trim();
  if (!isCredentialId(passkeyId)) throw noSuchPasskey();
  return deps.db.$transaction(async (tx) => {
    const before = await tx.passkey.findFirst({ where: { id: passkeyId, userId }, select: { name: true } });
    if (!before) throw noSuchPasskey();
    const row = await tx.passkey.update({ where: { id: passkeyId }, data: { name }, select: PASSKEY_DTO_SELECT });
    const detail = { passkeyId, from: before.name, name };
    await deps.audit.record({ type: "passkey_renamed", userId, actorId: userId, ...input.meta, detail }, tx);
    return toPasskeyDto(row);
  });
}
