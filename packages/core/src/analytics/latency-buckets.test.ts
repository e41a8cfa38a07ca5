import { describe, expect, it } from "vitest";
import { resolveAnalyticsRange } from "./analytics-range.ts";
import { estimateLatencyQuantile } from "./latency-buckets.ts";

describe("estimateLatencyQuantile", () => {
  it("interpolates inside the bucket that holds the rank", () => {
    // 10 observations ≤ 100 ms, 10 in (100, 250]: the median is the top of the first bucket.
    expect(estimateLatencyQuantile([10, 10, 0, 0, 0, 0, 0, 0], 0.5)).toBe(100);
    expect(estimateLatencyQuantile([10, 10, 0, 0, 0, 0, 0, 0], 0.75)).toBe(175);
    expect(estimateLatencyQuantile([4, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBe(50);
  });
  it("answers the lower bound in the unbounded bucket, null without observations", () => {
    expect(estimateLatencyQuantile([0, 0, 0, 0, 0, 0, 0, 3], 0.95)).toBe(10_000);
    expect(estimateLatencyQuantile([0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBeNull();
  });
});

describe("resolveAnalyticsRange", () => {
  const now = new Date("2026-11-30T12:34:56Z");
  it("uses hour buckets up to 48 h and UTC days beyond", () => {
    const day = resolveAnalyticsRange({ since: "24h", now });
    expect(day.bucket).toBe("hour");
    expect(day.buckets).toHaveLength(24);
    expect(day.from.toISOString()).toBe("2026-11-29T13:00:00.000Z");
    const week = resolveAnalyticsRange({ since: "7d", now });
    expect(week.bucket).toBe("day");
    expect(week.buckets.map((b) => b.toISOString().slice(0, 10))).toEqual([
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
    ]);
  });
  it("refuses ranges it cannot answer, naming the field", () => {
    expect(() => resolveAnalyticsRange({ since: "5m", now })).toThrow(/since/);
    expect(() => resolveAnalyticsRange({ since: "1000d", now })).toThrow(/since/);
  });
});
