import type { AdminPayment } from "./admin-types.ts";

export interface DayBucket {
  day: string;
  /** Atomic units per chain. */
  byChain: Record<string, bigint>;
}

/** Settled payments summed per UTC day and chain, oldest day first, over the last `days` days. */
export function bucketRevenueByDay(payments: AdminPayment[], days: number, now: number): DayBucket[] {
  const buckets: DayBucket[] = [];
  const index = new Map<string, DayBucket>();
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(now - i * 86_400_000).toISOString().slice(0, 10);
    const bucket = { day, byChain: {} };
    buckets.push(bucket);
    index.set(day, bucket);
  }
  for (const p of payments) {
    if (p.state !== "settled") continue;
    const day = new Date(p.settledAt ?? p.createdAt).toISOString().slice(0, 10);
    const bucket = index.get(day);
    if (!bucket) continue;
    bucket.byChain[p.chain] = (bucket.byChain[p.chain] ?? 0n) + BigInt(p.amount);
  }
  return buckets;
}
