import { z } from "zod";
import { paymentStates } from "../gateway/payment-state.ts";

export const paymentStateSchema = z.enum(paymentStates);

/** One payment row as the ledger reports it (amounts are atomic units as decimal strings). */
export const paymentSummarySchema = z.object({
  id: z.string(),
  offerId: z.string(),
  offerName: z.string(),
  offerGeneration: z.number().int(),
  chain: z.string(),
  network: z.string(),
  testnet: z.boolean(),
  asset: z.string(),
  amount: z.string(),
  payer: z.string(),
  payTo: z.string(),
  nonce: z.string(),
  x402Version: z.number().int(),
  requestMethod: z.string(),
  requestPath: z.string(),
  upstreamStatus: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  facilitator: z.string(),
  txHash: z.string().nullable(),
  state: paymentStateSchema,
  reason: z.string().nullable(),
  message: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  settledAt: z.date().nullable(),
  /** `exact` or `upto`; with `upto`, `amount` is what settled and `maxAmount` what the buyer authorized. */
  scheme: z.string().optional(),
  maxAmount: z.string().nullable().optional(),
  /** Metered inference: the token usage the provider reported. */
  promptTokens: z.number().int().nullable().optional(),
  completionTokens: z.number().int().nullable().optional(),
  totalTokens: z.number().int().nullable().optional(),
});
export type PaymentSummary = z.infer<typeof paymentSummarySchema>;

/** The filters of the payments list and its CSV export; every one is optional and they combine. */
export const paymentFilterSchema = z.object({
  /** Offer name (every offer that carried it, deleted ones included: settlements are history). */
  offer: z.string().min(1).max(63).optional(),
  state: paymentStateSchema.optional(),
  chain: z.string().min(1).max(63).optional(),
  /** Payer address (compared in lower case, as the gateway records it). */
  payer: z
    .string()
    .trim()
    .regex(/^0x[0-9a-fA-F]{1,40}$/, "a 0x address")
    .transform((value) => value.toLowerCase())
    .optional(),
  /** Created at or after (RFC 3339). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Created before (RFC 3339). */
  to: z.iso.datetime({ offset: true }).optional(),
});
export type PaymentFilter = z.output<typeof paymentFilterSchema>;

export const listPaymentsInputSchema = paymentFilterSchema.extend({
  limit: z.number().int().min(1).max(500).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListPaymentsInput = z.input<typeof listPaymentsInputSchema>;

export const paymentPageSchema = z.object({
  payments: z.array(paymentSummarySchema),
  nextCursor: z.string().nullable(),
});
export type PaymentPage = z.infer<typeof paymentPageSchema>;

/** Settled revenue of one chain and asset. */
export const revenueLineSchema = z.object({
  chain: z.string(),
  network: z.string(),
  testnet: z.boolean(),
  asset: z.string(),
  symbol: z.string().nullable(),
  decimals: z.number().int().nullable(),
  payments: z.number().int(),
  /** Atomic units. */
  amount: z.string(),
  /** Token units, e.g. "0.03"; null when the asset's decimals are unknown. */
  display: z.string().nullable(),
});
export type RevenueLine = z.infer<typeof revenueLineSchema>;

/** A total over lines of one asset symbol (across chains). */
export const revenueTotalSchema = z.object({
  symbol: z.string(),
  decimals: z.number().int(),
  payments: z.number().int(),
  amount: z.string(),
  display: z.string(),
});
export type RevenueTotal = z.infer<typeof revenueTotalSchema>;

export const revenueReportSchema = z.object({
  /** Real chains: the money. */
  lines: z.array(revenueLineSchema),
  /** Test chains (devnet, testnets): shown, never in `totals`. */
  testLines: z.array(revenueLineSchema),
  /** Sums of `lines` per symbol; each equals the sum of its lines. */
  totals: z.array(revenueTotalSchema),
  testTotals: z.array(revenueTotalSchema),
});
export type RevenueReport = z.infer<typeof revenueReportSchema>;
