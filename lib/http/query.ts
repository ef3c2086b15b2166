import type { NextRequest } from "next/server";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { fieldErrors } from "@/lib/validation/fields";

export function readQuery<S extends z.ZodType>(req: NextRequest, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success) throw new AppError("validation_failed", { fields: fieldErrors(parsed.error) });
  return parsed.data;
}
