import { offerNameSchema } from "../offers/offer-schemas.ts";
import { z } from "zod";

export const tryDevnetOfferInputSchema = z.object({ name: offerNameSchema });

/** One step of the x402 flow as Try it shows it. */
export const tryStepSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("challenge"),
    status: z.number().int(),
    /** The `accepts[]` of the 402 PaymentRequired (what the buyer was asked to pay). */
    accepts: z.array(
      z.object({
        scheme: z.string(),
        network: z.string(),
        amount: z.string(),
        asset: z.string(),
        payTo: z.string(),
        maxTimeoutSeconds: z.number(),
      }),
    ),
  }),
  z.object({
    kind: z.literal("signed"),
    header: z.string(),
    payer: z.string(),
    to: z.string(),
    value: z.string(),
    nonce: z.string(),
    validBefore: z.string(),
  }),
  z.object({
    kind: z.literal("response"),
    status: z.number().int(),
    contentType: z.string().nullable(),
    /** The first 4 KiB of the body. */
    body: z.string(),
    txHash: z.string().nullable(),
    network: z.string().nullable(),
  }),
]);
export type TryStep = z.infer<typeof tryStepSchema>;

export const tryDevnetOfferResultSchema = z.object({
  offer: z.string(),
  method: z.string(),
  url: z.string(),
  ok: z.boolean(),
  steps: z.array(tryStepSchema),
  /** Why the flow stopped early (the x402 client's or the server's message). */
  error: z.string().nullable(),
});
export type TryDevnetOfferResult = z.infer<typeof tryDevnetOfferResultSchema>;
