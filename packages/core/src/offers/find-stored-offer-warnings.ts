import type { z } from "zod";
import type { Offer } from "./offer.ts";
import {
  healthPathSchema,
  modelNameSchema,
  offerLimits,
  offerNameSchema,
  offerPathSchema,
  payToSchema,
  priceSchema,
  upstreamUrlSchema,
} from "./offer-schemas.ts";

function check(schema: z.ZodType, value: unknown, field: string, out: string[]): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) out.push(`${field}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
}

/**
 * The current rules a stored offer no longer meets. Never used to refuse loading or serving: a rule added
 * later must not make stored offers disappear (SPEC §4.3); the reconciler shows these as warnings.
 */
export function findStoredOfferWarnings(offer: Offer): string[] {
  const warnings: string[] = [];
  check(offerNameSchema, offer.name, "name", warnings);
  if (!/^(demo|agent):\/\//.test(offer.upstreamUrl)) check(upstreamUrlSchema, offer.upstreamUrl, "upstream", warnings);
  check(healthPathSchema, offer.healthPath, "healthPath", warnings);
  check(offerPathSchema, offer.path, "path", warnings);
  if (offer.model !== null) check(modelNameSchema, offer.model, "model", warnings);
  check(payToSchema, offer.payment.payTo, "payment.payTo", warnings);
  check(priceSchema, offer.payment.price, "payment.price", warnings);
  if (offer.description.length > offerLimits.description)
    warnings.push(`description: longer than ${offerLimits.description} characters`);
  return warnings;
}
