import { describeAsset } from "./describe-asset.ts";
import { formatAtomicAmount } from "./format-atomic-amount.ts";
import { type OfferActivity, type OfferActivityInput, offerActivityInputSchema } from "./offer-activity.ts";
import type { PaymentRepository, RevenueAggregate } from "./payment-repository.ts";
import {
  type ListPaymentsInput,
  listPaymentsInputSchema,
  type PaymentPage,
  type RevenueLine,
  type RevenueReport,
  type RevenueTotal,
} from "./payment-schemas.ts";

function toLine(aggregate: RevenueAggregate): RevenueLine {
  const { symbol, decimals } = describeAsset(aggregate);
  return {
    ...aggregate,
    symbol,
    decimals,
    display: decimals === null ? null : formatAtomicAmount({ amount: aggregate.amount, decimals }),
  };
}

/** Sums lines per asset symbol (unknown assets by address, in atomic units) with bigint arithmetic. */
function sumBySymbol(lines: RevenueLine[]): RevenueTotal[] {
  const totals = new Map<string, { symbol: string; decimals: number; payments: number; amount: bigint }>();
  for (const line of lines) {
    const symbol = line.symbol ?? line.asset;
    const decimals = line.decimals ?? 0;
    const key = `${symbol}/${decimals}`;
    const total = totals.get(key) ?? { symbol, decimals, payments: 0, amount: 0n };
    total.payments += line.payments;
    total.amount += BigInt(line.amount);
    totals.set(key, total);
  }
  return [...totals.values()]
    .sort((a, b) => a.symbol.localeCompare(b.symbol))
    .map((t) => ({
      symbol: t.symbol,
      decimals: t.decimals,
      payments: t.payments,
      amount: t.amount.toString(),
      display: formatAtomicAmount({ amount: t.amount.toString(), decimals: t.decimals }),
    }));
}

/** Builds the revenue report from settled aggregates: real chains and test chains kept apart. */
export function buildRevenueReport(aggregates: RevenueAggregate[]): RevenueReport {
  const lines = aggregates.map(toLine).sort((a, b) => a.chain.localeCompare(b.chain) || a.asset.localeCompare(b.asset));
  const real = lines.filter((line) => !line.testnet);
  const test = lines.filter((line) => line.testnet);
  return { lines: real, testLines: test, totals: sumBySymbol(real), testTotals: sumBySymbol(test) };
}

/** The payments ledger as the transports see it: pages of payments and the revenue report. */
export function createPaymentsService({
  repository,
  clock = () => new Date(),
}: {
  repository: PaymentRepository;
  clock?: () => Date;
}) {
  /** The repository query for a validated filter. */
  function toQuery(input: ListPaymentsInput) {
    const { offer, limit, cursor, from, to, ...filters } = listPaymentsInputSchema.parse(input);
    return {
      ...filters,
      offerName: offer,
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
      limit,
      cursor,
    };
  }

  /** Newest first; filter by offer, state, chain, payer and time range (combined); page with `nextCursor`. */
  async function list(input: ListPaymentsInput = {}): Promise<PaymentPage> {
    return repository.list(toQuery(input));
  }

  return {
    list,
    /** The CSV lines (no header, UTF-8) of every payment the filter matches, newest first, in chunks. */
    streamCsv(input: Omit<ListPaymentsInput, "limit" | "cursor"> = {}): AsyncIterable<Uint8Array> {
      const { limit: _limit, cursor: _cursor, ...filters } = toQuery(input);
      return repository.csvChunks(filters);
    },
    /** Settled revenue per chain and asset; test chains separate and never in `totals`. */
    async revenue(): Promise<RevenueReport> {
      return buildRevenueReport(await repository.aggregateSettled());
    },
    /** One offer's settled totals and per-day sums (UTC days, today included), over the whole ledger. */
    async offerActivity(input: OfferActivityInput): Promise<OfferActivity> {
      const { offer, days } = offerActivityInputSchema.parse(input);
      const today = clock();
      const since = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)));
      return { offer, ...(await repository.offerActivity({ offerName: offer, since })) };
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
