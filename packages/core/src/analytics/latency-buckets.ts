/**
 * Upper bounds (ms) of the latency histogram buckets the analytics rollup keeps per hour; a last,
 * unbounded bucket follows. The rollup's columns `deliveryLe100 … deliveryInf` follow this order.
 */
export const latencyBucketBoundsMs = [100, 250, 500, 1_000, 2_500, 5_000, 10_000] as const;

/** Counts per bucket, in `latencyBucketBoundsMs` order plus the unbounded bucket (length 8). */
export type LatencyBuckets = number[];

/** Adds bucket counts element-wise (a new array). */
export function addLatencyBuckets(a: LatencyBuckets, b: LatencyBuckets): LatencyBuckets {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

/**
 * The q-quantile (0 < q < 1) of a bucketed histogram in ms, interpolated linearly inside its bucket
 * (Prometheus' histogram_quantile does the same). Null without observations; the unbounded bucket
 * answers with its lower bound.
 */
export function estimateLatencyQuantile(buckets: LatencyBuckets, q: number): number | null {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i] ?? 0;
    const lower = i === 0 ? 0 : (latencyBucketBoundsMs[i - 1] ?? 0);
    const upper = latencyBucketBoundsMs[i];
    if (count > 0 && seen + count >= rank) {
      if (upper === undefined) return lower;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / count);
    }
    seen += count;
  }
  return latencyBucketBoundsMs.at(-1) ?? null;
}
