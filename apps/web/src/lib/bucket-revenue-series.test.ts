import { describe, expect, it } from "vitest";
import { bucketRevenueSeries } from "./bucket-revenue-series.ts";

describe("bucketRevenueSeries", () => {
  it("lays out every hour of the range and sums points per chain", () => {
    const buckets = bucketRevenueSeries({
      points: [
        { t: "2026-11-30T10:00:00.000Z", chain: "base", amount: "5" },
        { t: "2026-11-30T10:00:00.000Z", chain: "local", amount: "7" },
        { t: "2026-11-30T12:00:00.000Z", chain: "base", amount: "900000000000000000001" },
      ],
      from: "2026-11-30T10:00:00.000Z",
      now: Date.parse("2026-11-30T12:34:00.000Z"),
      bucket: "hour",
    });
    expect(buckets.map((b) => b.t.slice(11, 13))).toEqual(["10", "11", "12"]);
    expect(buckets[0]?.byChain).toEqual({ base: 5n, local: 7n });
    expect(buckets[1]?.byChain).toEqual({});
    expect(buckets[2]?.byChain).toEqual({ base: 900000000000000000001n });
  });
});
