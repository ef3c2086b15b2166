// The second half of adding a passkey (fresh authentication): the authenticator's answer to the
// options from passkey-registration-options.ts. The ceremony is spent before the answer is
// checked (single use, five minutes, the caller's own); the credential id, COSE public key,
// counter and transports are stored, with a name the person chose or one made up for them.
import { type RegistrationResponseJSON, verifyRegistrationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { requireFreshAuthentication } from "@/lib/auth/freshness";
import { spendChallenge } from "@/lib/auth/login-challenges";
import {
  defaultPasskeyName,
  findCeremony,
  MAX_PASSKEYS,
  PASSKEY_DTO_SELECT,
  type PasskeyDto,
  relyingParty,
  storedTransports,
  toPasskeyDto,
} from "@/lib/auth/passkeys";
import { isUniqueViolation } from "@/lib/db/errors";
import type { Deps } from "@/lib/deps";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "../meta";
import { tooManyPasskeys } from "./passkey-registration-options";

export type AddPasskeyInput = {
  userId: string;
  sessionId: string;
  challengeId?: string;
  response: RegistrationResponseJSON;
  name?: string;
  meta: RequestMeta;
};

const expired = () => new AppError("bad_request", { message: "This request to add a passkey has expired or was already used. Try again." });
const unverified = () =>
  new AppError("bad_request", {
    message: "The passkey could not be verified. Try again, and unlock it with your fingerprint, face, PIN or screen lock when asked.",
  });

export async function addPasskey(deps: Deps, input: AddPasskeyInput): Promise<PasskeyDto> {
  // Before the ceremony is spent: after "Confirm it's you" the same answer can be sent again.
  await requireFreshAuthentication(deps, input.sessionId);
  const ceremony = await findCeremony(deps, "passkey_registration", {
    challengeId: input.challengeId,
    clientDataJSON: input.response.response.clientDataJSON,
  });
  if (!ceremony?.webauthn || ceremony.userId !== input.userId) throw expired();
  if (!(await spendChallenge(deps, ceremony.id))) throw expired();

  const rp = relyingParty(deps.config);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: ceremony.webauthn,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // A passkey is a whole sign-in on its own: one that cannot verify the person is refused now, not at sign-in.
      requireUserVerification: true,
    });
  } catch {
    throw unverified();
  }
  if (!verified.verified) throw unverified();
  const { credential } = verified.registrationInfo;

  const existing = await deps.db.passkey.findMany({ where: { userId: input.userId }, select: { name: true } });
  if (existing.length >= MAX_PASSKEYS) throw tooManyPasskeys();
  const name =
    input.name?.trim() ||
    defaultPasskeyName(
      input.meta.userAgent,
      existing.map((p) => p.name),
    );
  const now = deps.clock.now();
  try {
    const row = await deps.db.$transaction(async (tx) => {
      const created = await tx.passkey.create({
        data: {
          id: credential.id,
          userId: input.userId,
          name,
          publicKey: isoBase64URL.fromBuffer(credential.publicKey),
          counter: credential.counter,
          transports: storedTransports(credential.transports ?? input.response.response.transports),
          createdAt: now,
        },
        select: PASSKEY_DTO_SELECT,
      });
      const detail = { passkeyId: created.id, name, aaguid: verified.registrationInfo.aaguid };
      await deps.audit.record({ type: "passkey_added", userId: input.userId, actorId: input.userId, ...input.meta, detail }, tx);
      return created;
    });
    return toPasskeyDto(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("conflict", { message: "This passkey is already registered." });
    throw e;
  }
}
