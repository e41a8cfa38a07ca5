import { z } from "zod";

export const tokenScopeSchema = z.enum(["admin", "read"]);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

/** Token names: short, readable labels. */
export const tokenNameSchema = z
  .string()
  .min(1, "name is required")
  .max(64, "name is at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "use letters, digits, dot, dash or underscore");

export const createTokenInputSchema = z.object({ name: tokenNameSchema, scope: tokenScopeSchema.default("read") });

export const tokenSummarySchema = z.object({
  name: z.string(),
  prefix: z.string(),
  scope: tokenScopeSchema,
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type TokenSummary = z.infer<typeof tokenSummarySchema>;
