import type { z } from "zod";
import { TollgateError } from "../errors/error-codes.ts";

/** Parses input with a zod schema; the first issue becomes VALIDATION_FAILED naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  throw new TollgateError(
    "VALIDATION_FAILED",
    `${field ? `${field}: ` : ""}${issue?.message ?? "invalid input"}`,
    field === undefined ? {} : { field },
  );
}
