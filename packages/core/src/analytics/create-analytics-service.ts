import { findChainByCaip2, findChainByName } from "../chains/find-chain.ts";
import { buildRevenueReport } from "../payments/create-payments-service.ts";
import { describeAsset } from "../payments/describe-asset.ts";
import { formatAtomicAmount } from "../payments/format-atomic-amount.ts";
import type { RevenueAggregate } from "../payments/payment-repository.ts";
import type { AnalyticsRepository, OfferRollup, SpendRow } from "./analytics-repository.ts";
import { type AnalyticsRange, resolveAnalyticsRange } from "./analytics-range.ts";
import {
  type AnalyticsInput,
  type AnalyticsOverview,
  analyticsInputSchema,
  type Funnel,
  type LatencyReport,
  type LatencySummary,
  type OfferStats,
  type OfferStatsReport,
  type RevenueSeries,
  type SpendLine,
  type SpendReport,
  type TopPayersInput,
  type TopPayersReport,
  topPayersInputSchema,
} from "./analytics-schemas.ts";
import { addLatencyBuckets, estimateLatencyQuantile, type LatencyBuckets } from "./latency-buckets.ts";

function summarizeLatency(buckets: LatencyBuckets): LatencySummary {
  return {
    count: buckets.reduce((sum, n) => sum + n, 0),
    p50Ms: estimateLatencyQuantile(buckets, 0.5),
    p95Ms: estimateLatencyQuantile(buckets, 0.95),
  };
}

function displayAmount(line: { chain: string; asset: string; amount: string }): string {
  const { decimals } = describeAsset(line);
  return decimals === null ? line.amount : formatAtomicAmount({ amount: line.amount, decimals });
}

/** Sums settled counts and amounts per (chain, asset) with bigint arithmetic. */
function sumRevenue(
  lines: { chain: string; asset: string; testnet: boolean; payments: number; amount: string }[],
): RevenueAggregate[] {
  const sums = new Map<string, RevenueAggregate & { total: bigint }>();
  for (const line of lines) {
    const key = `${line.chain}/${line.asset}`;
    const sum = sums.get(key) ?? {
      chain: line.chain,
      network: findChainByName(line.chain)?.caip2 ?? "",
      testnet: line.testnet,
      asset: line.asset,
      payments: 0,
      amount: "0",
      total: 0n,
    };
    sum.payments += line.payments;
    sum.total += BigInt(line.amount);
    sums.set(key, sum);
  }
  return [...sums.values()].map(({ total, ...sum }) => ({ ...sum, amount: total.toString() }));
}

/** Spend rows summed by `key` (bigint arithmetic), each with its chain, asset description and display amount. */
function sumSpend(rows: SpendRow[], key: (row: SpendRow) => string): (SpendLine & { day: Date })[] {
  const sums = new Map<string, SpendRow & { total: bigint }>();
  for (const row of rows) {
    const k = key(row);
    const sum = sums.get(k) ?? { ...row, payments: 0, total: 0n };
    sum.payments += row.payments;
    sum.total += BigInt(row.amount);
    sums.set(k, sum);
  }
  return [...sums.values()].map(({ total, ...row }) => {
    const known = findChainByCaip2(row.network);
    const line = { chain: known?.name ?? row.network, asset: row.asset, amount: total.toString() };
    return {
      ...row,
      ...line,
      testnet: known?.testnet ?? false,
      ...describeAsset(line),
      display: displayAmount(line),
    };
  });
}

/** The agents' settled outbound payments per day and agent, per agent, and per chain and asset. */
export function buildSpendReport(range: AnalyticsRange, rows: SpendRow[]): SpendReport {
  const asset = (row: SpendRow) => `${row.network}/${row.asset}`;
  return {
    range,
    days: sumSpend(rows, (row) => `${row.day.toISOString()}/${row.agent}/${asset(row)}`),
    agents: sumSpend(rows, (row) => `${row.agent}/${asset(row)}`).map(({ day: _day, ...line }) => line),
    totals: sumSpend(rows, asset).map(({ day: _day, agent: _agent, ...line }) => line),
  };
}

/** The funnel totals of rollup rows and their failures. */
export function buildFunnel(range: AnalyticsRange, rows: OfferRollup[], failures: Funnel["failures"]): Funnel {
  const sum = (pick: (row: OfferRollup) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    range,
    challenges: sum((r) => r.challenges),
    refused: sum((r) => r.refused),
    verified: sum((r) => r.verified),
    settled: sum((r) => r.settled),
    failed: sum((r) => r.failed),
    upstreamFailures: sum((r) => r.upstreamFailures),
    failures: [...failures].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

/** Per-offer rows (one per offer name; revenue per chain and asset inside), most revenue first. */
export function buildOfferStats(range: AnalyticsRange, rows: OfferRollup[]): OfferStatsReport {
  const byOffer = new Map<string, OfferRollup[]>();
  for (const row of rows) byOffer.set(row.offer, [...(byOffer.get(row.offer) ?? []), row]);
  const offers: OfferStats[] = [...byOffer.entries()].map(([offer, lines]) => {
    const sum = (pick: (row: OfferRollup) => number) => lines.reduce((total, row) => total + pick(row), 0);
    const challenges = sum((r) => r.challenges);
    const verified = sum((r) => r.verified);
    const settled = sum((r) => r.settled);
    const refused = sum((r) => r.refused);
    const failed = sum((r) => r.failed);
    const asked = Math.max(challenges, verified);
    const last = lines.reduce<Date | null>(
      (a, r) => (r.lastSettledAt && r.settled > 0 && (!a || r.lastSettledAt > a) ? r.lastSettledAt : a),
      null,
    );
    return {
      offer,
      revenue: sumRevenue(
        lines.filter((r) => r.settled > 0).map((r) => ({ ...r, payments: r.settled, amount: r.settledAmount })),
      ).map((line) => ({ ...line, ...describeAsset(line), display: displayAmount(line) })),
      challenges,
      refused,
      verified,
      settled,
      failed,
      errors: refused + failed,
      conversion: asked === 0 ? null : settled / asked,
      delivery: summarizeLatency(lines.map((r) => r.delivery).reduce(addLatencyBuckets, [])),
      lastSettledAt: last,
    };
  });
  offers.sort((a, b) => b.settled - a.settled || a.offer.localeCompare(b.offer));
  return { range, offers };
}

/** Seller analytics over the rollups (SPEC §9): revenue series, funnel, latency, per-offer rows, top payers. */
export function createAnalyticsService({
  repository,
  clock = () => new Date(),
}: {
  repository: AnalyticsRepository;
  clock?: () => Date;
}) {
  const prepare = (input: AnalyticsInput) => {
    const { since, offer } = analyticsInputSchema.parse(input);
    return { range: resolveAnalyticsRange({ since, now: clock() }), offerName: offer };
  };

  async function revenueSeries(range: AnalyticsRange, offerName?: string): Promise<RevenueSeries> {
    const buckets = await repository.revenueSeries({ from: range.from, grain: range.bucket, offerName });
    const points = buckets
      .map((b) => ({ ...b, ...describeAsset(b) }))
      .sort((a, b) => a.t.getTime() - b.t.getTime() || a.chain.localeCompare(b.chain));
    return { range, points, totals: buildRevenueReport(sumRevenue(points)) };
  }

  async function funnel(range: AnalyticsRange, rows: OfferRollup[], offerName?: string): Promise<Funnel> {
    return buildFunnel(range, rows, await repository.failures({ from: range.from, grain: range.bucket, offerName }));
  }

  function latency(range: AnalyticsRange, rows: OfferRollup[]): LatencyReport {
    return {
      range,
      delivery: summarizeLatency(rows.map((r) => r.delivery).reduce(addLatencyBuckets, [])),
      settlement: summarizeLatency(rows.map((r) => r.settlement).reduce(addLatencyBuckets, [])),
    };
  }

  async function topPayers(range: AnalyticsRange, limit: number, offerName?: string): Promise<TopPayersReport> {
    const days = range.bucket === "day" ? range.buckets.length : undefined;
    const payers = await repository.topPayers({ from: range.from, limit, days, offerName });
    return {
      range,
      payers: payers.map((p) => ({ ...p, ...describeAsset(p), display: displayAmount(p) })),
    };
  }

  return {
    /** Settled revenue per hour (ranges up to 48 h) or UTC day, per chain and asset; totals beside. */
    async revenue(input: AnalyticsInput): Promise<RevenueSeries> {
      const { range, offerName } = prepare(input);
      return revenueSeries(range, offerName);
    },
    /** 402 challenges → verified → settled, with failures by reason. */
    async funnel(input: AnalyticsInput): Promise<Funnel> {
      const { range, offerName } = prepare(input);
      return funnel(
        range,
        await repository.sumByOffer({ from: range.from, grain: range.bucket, offerName }),
        offerName,
      );
    },
    /** p50/p95 delivery and settlement latency. */
    async latency(input: AnalyticsInput): Promise<LatencyReport> {
      const { range, offerName } = prepare(input);
      return latency(range, await repository.sumByOffer({ from: range.from, grain: range.bucket, offerName }));
    },
    /** One row per offer: revenue, conversion, p95, errors, last settlement. */
    async offers(input: AnalyticsInput): Promise<OfferStatsReport> {
      const { range, offerName } = prepare(input);
      return buildOfferStats(range, await repository.sumByOffer({ from: range.from, grain: range.bucket, offerName }));
    },
    /** The payers with the most settled, per chain and asset. */
    async topPayers(input: TopPayersInput): Promise<TopPayersReport> {
      const { since, offer, limit } = topPayersInputSchema.parse(input);
      const range = resolveAnalyticsRange({ since, now: clock() });
      return topPayers(range, limit, offer);
    },
    /** What the agents spent (settled outbound payments) per day and agent; seller-wide, never per offer. */
    async spend(input: AnalyticsInput): Promise<SpendReport> {
      const { range } = prepare(input);
      return buildSpendReport(range, await repository.outboundSpend({ from: range.from }));
    },
    /** All of the above for one range, from one read of the per-offer rollup. */
    async overview(input: AnalyticsInput): Promise<AnalyticsOverview> {
      const { range, offerName } = prepare(input);
      const [rows, revenue, payers, failures, spend] = await Promise.all([
        repository.sumByOffer({ from: range.from, grain: range.bucket, offerName }),
        revenueSeries(range, offerName),
        topPayers(range, 10, offerName),
        repository.failures({ from: range.from, grain: range.bucket, offerName }),
        repository.outboundSpend({ from: range.from }),
      ]);
      return {
        range,
        offer: offerName ?? null,
        revenue,
        funnel: buildFunnel(range, rows, failures),
        latency: latency(range, rows),
        offers: buildOfferStats(range, rows),
        topPayers: payers,
        spend: buildSpendReport(range, spend),
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
