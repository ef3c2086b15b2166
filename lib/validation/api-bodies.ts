import { z } from "zod";
import { text } from "./text";

// Bodies of the session endpoints; strict, so unknown keys are refused rather than ignored.
export const LogoutBodySchema = z.strictObject({
  everywhere: z.boolean({ error: "everywhere must be true or false." }).optional(),
  refresh_token: text("Refresh token").max(200, "Refresh token is too long.").optional(),
});
