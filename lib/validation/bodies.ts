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

export const ReauthenticateBodySchema = z.strictObject({
  password: existingPasswordSchema(),
  code: text("Code").max(20, "Code is too long.").optional(),
});

export type RegisterBody = z.output<ReturnType<typeof registerBodySchema>>;
export type LoginBody = z.output<typeof LoginBodySchema>;
export type ChangePasswordBody = z.output<ReturnType<typeof changePasswordBodySchema>>;
export type AdminUserPatch = z.output<typeof AdminUserPatchSchema>;
export type RefreshBody = z.output<typeof RefreshBodySchema>;
