/** One UTC day of settled revenue. */
export interface DayBucket {
  day: string;
  /** Atomic units per chain. */
  byChain: Record<string, bigint>;
}

/** Per-day sums as `payments.offerActivity` returns them. */
export interface DayActivity {
  day: string;
  chain: string;
  amount: string;
}

/** The last `days` UTC days, oldest first, with the server's per-day sums filled in per chain (missing days are empty). */
export function bucketActivityByDay(byDay: DayActivity[], days: number, now: number): DayBucket[] {
  const buckets: DayBucket[] = [];
  const index = new Map<string, DayBucket>();
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(now - i * 86_400_000).toISOString().slice(0, 10);
    const bucket = { day, byChain: {} };
    buckets.push(bucket);
    index.set(day, bucket);
  }
  for (const line of byDay) {
    const bucket = index.get(line.day);
    if (!bucket) continue;
    bucket.byChain[line.chain] = (bucket.byChain[line.chain] ?? 0n) + BigInt(line.amount);
  }
  return buckets;
}
