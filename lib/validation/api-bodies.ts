import { z } from "zod";

// Bodies of the session endpoints; strict, so unknown keys are refused rather than ignored.
export const LogoutBodySchema = z.strictObject({
  everywhere: z.boolean().optional(),
  refresh_token: z.string().max(200).optional(),
});
