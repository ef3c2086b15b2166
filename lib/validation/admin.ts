import { z } from "zod";
import { OptionalEmailSchema, UsernameSchema } from "./account-fields";

// Bodies of the admin console's writes. The role change and disable patch is AdminUserPatchSchema
// (./bodies.ts). Strict like every body: an unknown key (password, disabled…) is a 422.

export const RoleSchema = z.enum(["user", "admin"], { error: 'Role must be "user" or "admin".' });

/** An account an admin creates: the same username and email rules as sign-up, no password. */
export const AdminCreateUserBodySchema = z.strictObject({
  username: UsernameSchema,
  email: OptionalEmailSchema,
  role: RoleSchema.optional(),
});

export type AdminCreateUserBody = z.output<typeof AdminCreateUserBodySchema>;
