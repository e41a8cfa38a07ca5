import type { LatencyBuckets } from "./latency-buckets.ts";

/** Rollup sums of one offer name, chain and asset over a range. */
export interface OfferRollup {
  offer: string;
  chain: string;
  asset: string;
  testnet: boolean;
  challenges: number;
  refused: number;
  verified: number;
  settled: number;
  /** Atomic units (integer) as a decimal string. */
  settledAmount: string;
  failed: number;
  upstreamFailures: number;
  lastSettledAt: Date | null;
  delivery: LatencyBuckets;
  settlement: LatencyBuckets;
}

/** Settled payments of one bucket, chain and asset. */
export interface RevenueBucket {
  t: Date;
  chain: string;
  asset: string;
  testnet: boolean;
  payments: number;
  amount: string;
}

export interface PayerTotal {
  payer: string;
  chain: string;
  asset: string;
  testnet: boolean;
  payments: number;
  amount: string;
}

/** Counts the gateway keeps in memory between flushes (no row per challenge). */
export interface FunnelCountRow {
  offerId: string;
  chain: string;
  asset: string;
  testnet: boolean;
  /** Start of the UTC hour. */
  hour: Date;
  challenges: number;
  refused: number;
  /** Refusals by reason (their sum is `refused`). */
  reasons: Record<string, number>;
}

/** Which rollup a range reads: hourly rows (ranges up to 48 h) or daily rows (longer ranges). */
export type RollupGrain = "hour" | "day";

/** The analytics rollups (implemented over Postgres in packages/db). Ranges start at `from` (inclusive). */
/** Settled outbound payments (the seller's agents' spend) of one UTC day, agent, network and asset. */
export interface SpendRow {
  day: Date;
  agent: string;
  /** CAIP-2, as the payee's 402 challenge named it. */
  network: string;
  asset: string;
  payments: number;
  /** Atomic units. */
  amount: string;
}

export interface AnalyticsRepository {
  /** Per offer name, chain and asset: the funnel, revenue and latency buckets. */
  sumByOffer(input: { from: Date; grain: RollupGrain; offerName?: string | undefined }): Promise<OfferRollup[]>;
  /** Settled payments per bucket, chain and asset. */
  revenueSeries(input: { from: Date; grain: RollupGrain; offerName?: string | undefined }): Promise<RevenueBucket[]>;
  /** Failures by stage and reason. */
  failures(input: {
    from: Date;
    grain: RollupGrain;
    offerName?: string | undefined;
  }): Promise<{ stage: "refused" | "payment"; reason: string; count: number }[]>;
  /** The payers with the largest settled amounts, per chain and asset. */
  topPayers(input: {
    from: Date;
    limit: number;
    /** Whole UTC days from `from` to today (today included); absent for hour ranges. */
    days?: number | undefined;
    offerName?: string | undefined;
  }): Promise<PayerTotal[]>;
  /** The agents' settled outbound payments since `from`, per UTC day, agent, network and asset. */
  outboundSpend(input: { from: Date }): Promise<SpendRow[]>;
  /** Adds flushed counters to the hourly rollup in one transaction. */
  addFunnelCounts(rows: FunnelCountRow[]): Promise<void>;
}
