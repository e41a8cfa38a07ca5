import { z } from "zod";
import { revenueReportSchema } from "../payments/payment-schemas.ts";
import { analyticsSinceSchema } from "./analytics-range.ts";

/** Every `analytics.*` query: a range back from now, optionally one offer (by name). */
export const analyticsInputSchema = z.object({
  since: analyticsSinceSchema.default("7d"),
  offer: z.string().min(1).max(63).optional(),
});
export type AnalyticsInput = z.input<typeof analyticsInputSchema>;

export const topPayersInputSchema = analyticsInputSchema.extend({
  limit: z.number().int().min(1).max(100).default(10),
});
export type TopPayersInput = z.input<typeof topPayersInputSchema>;

export const analyticsRangeSchema = z.object({
  from: z.date(),
  to: z.date(),
  bucket: z.enum(["hour", "day"]),
});

const assetFields = {
  chain: z.string(),
  testnet: z.boolean(),
  asset: z.string(),
  symbol: z.string().nullable(),
  decimals: z.number().int().nullable(),
};

/** Settled payments of one bucket, chain and asset (amount in atomic units). */
export const revenuePointSchema = z.object({
  t: z.date(),
  ...assetFields,
  payments: z.number().int(),
  amount: z.string(),
});
export type RevenuePoint = z.infer<typeof revenuePointSchema>;

export const revenueSeriesSchema = z.object({
  range: analyticsRangeSchema,
  /** Only buckets with settlements; the chart fills the gaps with zero. */
  points: z.array(revenuePointSchema),
  /** Sums of `points` per chain and asset, test chains apart. */
  totals: revenueReportSchema,
});
export type RevenueSeries = z.infer<typeof revenueSeriesSchema>;

export const failureCountSchema = z.object({
  /** `refused`: before a payment row (verification, replay, no matching requirement…); `payment`: after. */
  stage: z.enum(["refused", "payment"]),
  reason: z.string(),
  count: z.number().int(),
});
export type FailureCount = z.infer<typeof failureCountSchema>;

export const funnelSchema = z.object({
  range: analyticsRangeSchema,
  /** 402 challenges answered. */
  challenges: z.number().int(),
  /** Payments refused before they were recorded (e.g. verification failed). */
  refused: z.number().int(),
  /** Payments the facilitator verified (each has a payment row). */
  verified: z.number().int(),
  settled: z.number().int(),
  /** Verified payments that ended unsettled (upstream failure, settlement failure, abandoned). */
  failed: z.number().int(),
  upstreamFailures: z.number().int(),
  /** By stage and reason, largest first. */
  failures: z.array(failureCountSchema),
});
export type Funnel = z.infer<typeof funnelSchema>;

export const latencySummarySchema = z.object({
  /** Observations (payments with a measured latency). */
  count: z.number().int(),
  p50Ms: z.number().int().nullable(),
  p95Ms: z.number().int().nullable(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

export const latencyReportSchema = z.object({
  range: analyticsRangeSchema,
  /** Request received → response released to the buyer (paid requests). */
  delivery: latencySummarySchema,
  /** Payment recorded → settled on chain. */
  settlement: latencySummarySchema,
});
export type LatencyReport = z.infer<typeof latencyReportSchema>;

export const offerStatsSchema = z.object({
  offer: z.string(),
  /** Settled revenue per chain and asset. */
  revenue: z.array(z.object({ ...assetFields, payments: z.number().int(), amount: z.string(), display: z.string() })),
  challenges: z.number().int(),
  refused: z.number().int(),
  verified: z.number().int(),
  settled: z.number().int(),
  failed: z.number().int(),
  /** refused + failed. */
  errors: z.number().int(),
  /** settled / max(challenges, verified); null with no traffic. */
  conversion: z.number().nullable(),
  delivery: latencySummarySchema,
  lastSettledAt: z.date().nullable(),
});
export type OfferStats = z.infer<typeof offerStatsSchema>;

export const offerStatsReportSchema = z.object({
  range: analyticsRangeSchema,
  offers: z.array(offerStatsSchema),
});
export type OfferStatsReport = z.infer<typeof offerStatsReportSchema>;

export const topPayerSchema = z.object({
  payer: z.string(),
  ...assetFields,
  payments: z.number().int(),
  amount: z.string(),
  display: z.string(),
});
export type TopPayer = z.infer<typeof topPayerSchema>;

export const topPayersReportSchema = z.object({
  range: analyticsRangeSchema,
  /** Largest settled amount first, per chain and asset (test chains included, flagged). */
  payers: z.array(topPayerSchema),
});
export type TopPayersReport = z.infer<typeof topPayersReportSchema>;

/** Settled outbound payments of an agent on one chain and asset (amount in atomic units). */
export const spendLineSchema = z.object({
  agent: z.string(),
  ...assetFields,
  /** CAIP-2. */
  network: z.string(),
  payments: z.number().int(),
  amount: z.string(),
  display: z.string(),
});
export type SpendLine = z.infer<typeof spendLineSchema>;

/** What the seller's agents spent (settled outbound x402 payments), beside the income. Not filtered by offer. */
export const spendReportSchema = z.object({
  range: analyticsRangeSchema,
  /** Per UTC day and agent; only days with spend, oldest first. */
  days: z.array(spendLineSchema.extend({ day: z.date() })),
  /** Per agent over the whole range. */
  agents: z.array(spendLineSchema),
  /** Per chain and asset over the whole range (test chains flagged). */
  totals: z.array(spendLineSchema.omit({ agent: true })),
});
export type SpendReport = z.infer<typeof spendReportSchema>;

/** Everything the admin overview (and `tollgate stats`) shows, for one range, from one read. */
export const analyticsOverviewSchema = z.object({
  range: analyticsRangeSchema,
  offer: z.string().nullable(),
  revenue: revenueSeriesSchema,
  funnel: funnelSchema,
  latency: latencyReportSchema,
  offers: offerStatsReportSchema,
  topPayers: topPayersReportSchema,
  spend: spendReportSchema,
});
export type AnalyticsOverview = z.infer<typeof analyticsOverviewSchema>;
