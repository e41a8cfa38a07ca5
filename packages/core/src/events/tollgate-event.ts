import { z } from "zod";

/** A payment row reached a final state (settled, settle_failed, …): the admin UI refreshes payments and revenue. */
export const paymentEventSchema = z.object({
  type: z.literal("payment"),
  paymentId: z.string(),
  offerName: z.string(),
  chain: z.string(),
  state: z.string(),
  amount: z.string(),
  txHash: z.string().nullable(),
  at: z.string(),
});

/** An offer's observed conditions changed (written by the reconciler). */
export const conditionsEventSchema = z.object({
  type: z.literal("conditions"),
  offerId: z.string(),
  at: z.string(),
});

/** An offer's desired state changed (create, update, stop, start, delete). */
export const offerEventSchema = z.object({
  type: z.literal("offer"),
  /** Null when the publisher does not know which offer (the reconciler is simply woken). */
  offerName: z.string().nullable(),
  action: z.string(),
  at: z.string(),
});

/** Everything the live stream carries (SPEC §9). */
export const tollgateEventSchema = z.discriminatedUnion("type", [
  paymentEventSchema,
  conditionsEventSchema,
  offerEventSchema,
]);
export type TollgateEvent = z.infer<typeof tollgateEventSchema>;
export type PaymentEvent = z.infer<typeof paymentEventSchema>;
