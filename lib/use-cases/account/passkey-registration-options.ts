// The first half of adding a passkey: WebAuthn creation options for the signed-in account, and a
// `challengeId` naming the ceremony (its WebAuthn challenge is kept for five minutes, single use).
// Discoverable credentials only ("Sign in with a passkey" asks for no username), and the account's
// own passkeys are excluded so one authenticator is not registered twice.
import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { CHALLENGE_TTL_MS, createChallenge } from "@/lib/auth/login-challenges";
import { MAX_PASSKEYS, relyingParty, transportsOf, userHandleOf } from "@/lib/auth/passkeys";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";

export type PasskeyRegistrationOptionsInput = { userId: string };
export type PasskeyRegistrationOptions = { challengeId: string; options: PublicKeyCredentialCreationOptionsJSON };

export const tooManyPasskeys = () =>
  new AppError("conflict", { message: `An account can have at most ${MAX_PASSKEYS} passkeys. Remove one to add another.` });

export async function passkeyRegistrationOptions(deps: Deps, input: PasskeyRegistrationOptionsInput): Promise<PasskeyRegistrationOptions> {
  const user = await deps.db.user.findUnique({
    where: { id: input.userId },
    select: { id: true, username: true, passkeys: { select: { id: true, transports: true } } },
  });
  if (!user) throw new AppError("unauthenticated");
  if (user.passkeys.length >= MAX_PASSKEYS) throw tooManyPasskeys();
  const rp = relyingParty(deps.config);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userDisplayName: user.username,
    userID: userHandleOf(user.id),
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: user.passkeys.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
  });
  const challengeId = await createChallenge(deps, { kind: "passkey_registration", userId: user.id, webauthn: options.challenge });
  return { challengeId, options };
}
