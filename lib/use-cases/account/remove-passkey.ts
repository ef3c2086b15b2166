// Removes one of the caller's passkeys (fresh authentication); it signs in nowhere afterwards.
// Another account's passkey answers exactly like a missing one.
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { isCredentialId } from "@/lib/auth/passkeys";
import type { Deps } from "@/lib/deps";
import type { RequestMeta } from "../meta";
import { noSuchPasskey } from "./rename-passkey";

export type RemovePasskeyInput = { userId: string; sessionId: string; passkeyId: string; meta: RequestMeta };

export async function removePasskey(deps: Deps, input: RemovePasskeyInput): Promise<void> {
  await requireFreshAuthentication(deps, input.sessionId);
  const { userId, passkeyId } = input;
  if (!isCredentialId(passkeyId)) throw noSuchPasskey();
  await deps.db.$transaction(async (tx) => {
    const found = await tx.passkey.findFirst({ where: { id: passkeyId, userId }, select: { name: true } });
    if (!found) throw noSuchPasskey();
    await tx.passkey.delete({ where: { id: passkeyId }, select: { id: true } });
    await deps.audit.record(
      { type: "passkey_removed", userId, actorId: userId, ...input.meta, detail: { passkeyId, name: found.name } },
      tx,
    );
  });
}
