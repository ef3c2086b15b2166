import { z } from "zod";
import {
  EmailSchema,
  existingPasswordSchema,
  LoginIdentifierSchema,
  OptionalEmailSchema,
  passwordSchema,
  UsernameSchema,
} from "./account-fields";
import { text } from "./text";

// Every body is a strictObject: a key the endpoint does not expect (role, id, disabled,
// __proto__...) is a 422, never silently dropped or, worse, passed on to a database write.

// The minimum password length comes from env() on the server and from props in a form, so the
// schemas that set a password are built per minimum (and cached: they are rebuilt rarely).
function perMinimum<T>(build: (min: number) => T): (min: number) => T {
  const cache = new Map<number, T>();
  return (min) => {
    let schema = cache.get(min);
    if (!schema) cache.set(min, (schema = build(min)));
    return schema;
  };
}

export const registerBodySchema = perMinimum((min) =>
  z.strictObject({
    username: UsernameSchema,
    password: passwordSchema(min),
    email: OptionalEmailSchema,
  }),
);

export const LoginBodySchema = z.strictObject({
  username: LoginIdentifierSchema,
  password: existingPasswordSchema(),
  token_delivery: z.enum(["cookie", "body"], { error: 'token_delivery must be "cookie" or "body".' }).optional(),
});

export const changePasswordBodySchema = perMinimum((min) =>
  z
    .strictObject({
      currentPassword: existingPasswordSchema("Current password"),
      newPassword: passwordSchema(min, "New password"),
    })
    .refine((v) => v.currentPassword !== v.newPassword, {
      message: "New password must be different from the current one.",
      path: ["newPassword"],
    }),
);

export const AdminUserPatchSchema = z
  .strictObject({
    role: z.enum(["user", "admin"], { error: 'Role must be "user" or "admin".' }).optional(),
    disabled: z.boolean({ error: "Disabled must be true or false." }).optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, "Send role, disabled or both.");

export const RefreshBodySchema = z.strictObject({
  refresh_token: text("Refresh token").min(1, "Refresh token must not be empty.").max(200, "Refresh token is too long.").optional(),
});

// A mailed link's token: any short text; whether it is ours is the use case's question (one
// 400 invalid_token for unknown, expired, used and malformed alike).
const LinkTokenSchema = text("Token").min(1, "Token must not be empty.").max(200, "Token is too long.");

export const ForgotPasswordBodySchema = z.strictObject({ identifier: LoginIdentifierSchema });

export const resetPasswordBodySchema = perMinimum((min) => z.strictObject({ token: LinkTokenSchema, password: passwordSchema(min) }));

export const LinkTokenBodySchema = z.strictObject({ token: LinkTokenSchema });

export const EmailChangeBodySchema = z.strictObject({ email: EmailSchema });

const OneTimeCodeSchema = text("Code").min(1, "Enter the code.").max(20, "Code is too long.");

export const TotpCodeBodySchema = z.strictObject({ code: OneTimeCodeSchema });

export const SecondFactorBodySchema = z
  .strictObject({
    challenge: text("Challenge").min(1, "Challenge is required.").max(200, "Challenge is too long."),
    code: OneTimeCodeSchema.optional(),
    recovery_code: text("Recovery code").min(1, "Enter a recovery code.").max(40, "Recovery code is too long.").optional(),
    token_delivery: z.enum(["cookie", "body"], { error: 'token_delivery must be "cookie" or "body".' }).optional(),
  })
  .refine((v) => (v.code === undefined) !== (v.recovery_code === undefined), "Send either code or recovery_code.");

export type RegisterBody = z.output<ReturnType<typeof registerBodySchema>>;
export type LoginBody = z.output<typeof LoginBodySchema>;
export type ChangePasswordBody = z.output<ReturnType<typeof changePasswordBodySchema>>;
export type AdminUserPatch = z.output<typeof AdminUserPatchSchema>;
export type RefreshBody = z.output<typeof RefreshBodySchema>;

// Passkeys (WebAuthn). The authenticator's answer is checked field by field by the server's
// WebAuthn verification; here only its shape and sizes, and every binary value as base64url.
// The inner objects are loose: browsers add members (getTransports, publicKey…) over time.
const base64url = (label: string, max: number) =>
  z
    .string({ error: `${label} must be base64url text.` })
    .min(1, `${label} must not be empty.`)
    .max(max, `${label} is too long.`)
    .regex(/^[A-Za-z0-9_-]+$/, `${label} must be base64url text.`);

const nullAsUndefined = (v: unknown) => (v === null ? undefined : v);
const blankAsUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

const CredentialIdSchema = base64url("Credential id", 1364);
const CeremonyIdSchema = text("Challenge id").min(1, "Challenge id must not be empty.").max(200, "Challenge id is too long.");

const credentialFields = {
  id: CredentialIdSchema,
  rawId: CredentialIdSchema,
  type: z.literal("public-key", { error: 'Type must be "public-key".' }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

export const PasskeyNameSchema = text("Name")
  .transform((v) => v.trim())
  .pipe(z.string().min(1, "Give the passkey a name.").max(64, "Name is at most 64 characters."));

export const PasskeyRegistrationResponseSchema = z.looseObject({
  ...credentialFields,
  response: z.looseObject({
    clientDataJSON: base64url("clientDataJSON", 4096),
    attestationObject: base64url("attestationObject", 12_000),
    authenticatorData: base64url("authenticatorData", 12_000).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url("publicKey", 4096).optional(),
  }),
});

export const PasskeyAuthenticationResponseSchema = z.looseObject({
  ...credentialFields,
  response: z.looseObject({
    clientDataJSON: base64url("clientDataJSON", 4096),
    authenticatorData: base64url("authenticatorData", 4096),
    signature: base64url("signature", 2048),
    userHandle: z.preprocess(nullAsUndefined, base64url("userHandle", 128).optional()),
  }),
});

export const AddPasskeyBodySchema = z.strictObject({
  challengeId: CeremonyIdSchema.optional(),
  response: PasskeyRegistrationResponseSchema,
  name: z.preprocess(blankAsUndefined, PasskeyNameSchema.optional()),
});

export const RenamePasskeyBodySchema = z.strictObject({ name: PasskeyNameSchema });

export const PasskeyLoginBodySchema = z.strictObject({
  challengeId: CeremonyIdSchema.optional(),
  response: PasskeyAuthenticationResponseSchema,
  token_delivery: z.enum(["cookie", "body"], { error: 'token_delivery must be "cookie" or "body".' }).optional(),
});

/** Step-up: the password (and the code, with TOTP on), or a passkey assertion (SPEC "Step-up"). */
export const ReauthenticateBodySchema = z
  .strictObject({
    password: existingPasswordSchema().optional(),
    code: text("Code").max(20, "Code is too long.").optional(),
    challengeId: CeremonyIdSchema.optional(),
    response: PasskeyAuthenticationResponseSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.response === undefined && v.password === undefined)
      ctx.addIssue({ code: "custom", path: ["password"], message: "Password is required." });
    if (v.response !== undefined && v.password !== undefined)
      ctx.addIssue({ code: "custom", message: "Send a password or a passkey, not both." });
  });

/**
 * For a handler whose use case validates the fields itself (sign-up checks every field together
 * with the database, lib/use-cases/auth/register.ts): readJson still enforces size, type and an
 * object body; the object is passed on as parsed, unvalidated.
 */
export const UnvalidatedBodySchema = z.unknown();
