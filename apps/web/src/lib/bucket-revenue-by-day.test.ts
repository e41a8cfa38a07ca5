import { describe, expect, it } from "vitest";
import { bucketActivityByDay } from "./bucket-revenue-by-day.ts";

describe("bucketActivityByDay", () => {
  it("lays the server's per-day sums over the last N UTC days, oldest first, empty days included", () => {
    const now = Date.parse("2026-11-23T09:00:00Z");
    const buckets = bucketActivityByDay(
      [
        { day: "2026-11-21", chain: "base", amount: "1500" },
        { day: "2026-11-21", chain: "local", amount: "7" },
        { day: "2026-11-23", chain: "base", amount: "1" },
        { day: "2026-11-01", chain: "base", amount: "999" },
      ],
      3,
      now,
    );
    expect(buckets).toEqual([
      { day: "2026-11-21", byChain: { base: 1500n, local: 7n } },
      { day: "2026-11-22", byChain: {} },
      { day: "2026-11-23", byChain: { base: 1n } },
    ]);
  });
});
