import { z } from "zod";

/** `payment.changed`: a payment row reached a final state (settled, settle_failed, …): the admin UI refreshes payments and revenue. */
export const paymentEventSchema = z.object({
  type: z.literal("payment.changed"),
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

/** An offer's desired state changed in the ledger (create, update, stop, start, delete). */
export const offerChangedEventSchema = z.object({
  type: z.literal("offer.changed"),
  /** The offer's id; null when the publisher does not know which offer changed (everything may have). */
  offerId: z.string().nullable(),
  offerName: z.string().nullable(),
  action: z.string(),
  at: z.string(),
});

/** A seller identity (ERC-8004 registration, per chain) changed in the ledger. */
export const identityChangedEventSchema = z.object({
  type: z.literal("identity.changed"),
  chain: z.string(),
  at: z.string(),
});

/** A runtime setting changed (chains, facilitators, public URL, storefront profile, payees). */
export const settingsChangedEventSchema = z.object({
  type: z.literal("settings.changed"),
  /** The setting's key, or null when several changed. */
  key: z.string().nullable(),
  at: z.string(),
});

/** A ledger model's provider or `ModelReady` changed (the model monitor): offers selling models re-reconcile. */
export const modelsChangedEventSchema = z.object({
  type: z.literal("models.changed"),
  at: z.string(),
});

/** The whole ledger was replaced under the running server (a live import): every cache reloads. */
export const ledgerReplacedEventSchema = z.object({
  type: z.literal("ledger.replaced"),
  at: z.string(),
});

/** Everything the bus carries: ledger-change events the loops react to, and what the live stream shows (SPEC §2, §9). */
export const tollgateEventSchema = z.discriminatedUnion("type", [
  paymentEventSchema,
  conditionsEventSchema,
  offerChangedEventSchema,
  identityChangedEventSchema,
  settingsChangedEventSchema,
  modelsChangedEventSchema,
  ledgerReplacedEventSchema,
]);
export type TollgateEvent = z.infer<typeof tollgateEventSchema>;
export type TollgateEventType = TollgateEvent["type"];
export type PaymentEvent = z.infer<typeof paymentEventSchema>;
/** The event of one type. */
export type TollgateEventOf<T extends TollgateEventType> = Extract<TollgateEvent, { type: T }>;
