// "Sign in with a passkey", first half: WebAuthn request options with no allowCredentials (the
// authenticator offers its discoverable credentials for this site; no username is asked for, so
// nothing here says whether an account exists) and a `challengeId` naming the ceremony.
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { CHALLENGE_TTL_MS, createChallenge } from "@/lib/auth/login-challenges";
import { relyingParty } from "@/lib/auth/passkeys";
import type { Deps } from "@/lib/deps";

export type PasskeyLoginOptions = { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON };

export async function passkeyLoginOptions(deps: Deps): Promise<PasskeyLoginOptions> {
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps.config).id,
    userVerification: "preferred",
    timeout: CHALLENGE_TTL_MS,
  });
  const challengeId = await createChallenge(deps, { kind: "passkey_login", userId: null, webauthn: options.challenge });
  return { challengeId, options };
}
