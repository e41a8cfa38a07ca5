import { z } from "zod";
import { modelNameSchema, offerNameSchema, upstreamUrlSchema } from "../offers/offer-schemas.ts";

/** Limits on model fields; larger values are refused with the field named. */
export const modelLimits = { apiKey: 4_096, maxTokens: 10_000_000, defaultMaxTokens: 8_192 } as const;

/** A provider name: a DNS label, like offer names. */
export const providerNameSchema = offerNameSchema;

/** A ledger model name: what offers reference with `--model`. `paid/` names are purchases (SPEC §13). */
export const sellerModelNameSchema = modelNameSchema.refine(
  (name) => !name.startsWith("paid/"),
  "names starting with paid/ are reserved for purchased models",
);

/** What `providers add` takes. The API key is write-only: it is stored as an encrypted secret. */
export const addProviderInputSchema = z.object({
  name: providerNameSchema,
  baseUrl: upstreamUrlSchema,
  apiKey: z
    .string()
    .min(1, "apiKey is empty")
    .max(modelLimits.apiKey, `at most ${modelLimits.apiKey} characters`)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .optional(),
});
export type AddProviderInput = z.input<typeof addProviderInputSchema>;

/** What `models add` takes; the upstream model id defaults to the name. */
export const addModelInputSchema = z.object({
  name: sellerModelNameSchema,
  provider: providerNameSchema,
  upstreamModel: modelNameSchema.optional(),
  maxTokens: z.number().int().min(1).max(modelLimits.maxTokens).optional(),
});
export type AddModelInput = z.input<typeof addModelInputSchema>;

export const providerNameInputSchema = z.object({ name: providerNameSchema });
export const modelNameInputSchema = z.object({ name: modelNameSchema });

/** A provider as every transport shows it: never its key, only whether it has one. */
export const providerViewSchema = z.object({
  name: z.string(),
  baseUrl: z.string(),
  hasApiKey: z.boolean(),
  models: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderView = z.infer<typeof providerViewSchema>;

/** `ModelReady` of a model (SPEC §13). */
export const modelReadySchema = z.object({
  type: z.literal("ModelReady"),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
});
export type ModelReadyView = z.infer<typeof modelReadySchema>;

export const modelViewSchema = z.object({
  name: z.string(),
  provider: z.string(),
  upstreamModel: z.string(),
  maxTokens: z.number().int(),
  conditions: z.array(modelReadySchema),
  /** Live offers that sell this model. */
  offers: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ModelView = z.infer<typeof modelViewSchema>;
