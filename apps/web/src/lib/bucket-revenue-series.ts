/** One bucket of the revenue chart: atomic units per chain. */
export interface RevenueBucket {
  /** ISO start of the bucket. */
  t: string;
  byChain: Record<string, bigint>;
}

const sizes = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Every bucket of the range from `from` to `now` (hour or UTC day), oldest first, with the server's points
 * summed in per chain; buckets without settlements stay empty, so the x axis is time, not data.
 */
export function bucketRevenueSeries({
  points,
  from,
  now,
  bucket,
}: {
  points: { t: string | Date; chain: string; amount: string }[];
  from: string | Date;
  now: number;
  bucket: "hour" | "day";
}): RevenueBucket[] {
  const size = sizes[bucket];
  const start = new Date(from).getTime();
  const buckets: RevenueBucket[] = [];
  const index = new Map<number, RevenueBucket>();
  for (let t = start; t <= now; t += size) {
    const entry = { t: new Date(t).toISOString(), byChain: {} };
    buckets.push(entry);
    index.set(t, entry);
  }
  for (const point of points) {
    const entry = index.get(new Date(point.t).getTime());
    if (!entry) continue;
    entry.byChain[point.chain] = (entry.byChain[point.chain] ?? 0n) + BigInt(point.amount);
  }
  return buckets;
}
