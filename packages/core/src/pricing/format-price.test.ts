import { describe, expect, it } from "vitest";
import { describeApproximation, formatPrice, normalizeDecimal, toAtomicPerRequest } from "./format-price.ts";

describe("formatPrice", () => {
  it("shows the price with its unit and trims trailing zeros", () => {
    expect(formatPrice({ price: "0.01", unit: "request", symbol: "USDC" })).toBe("0.01 USDC/request");
    expect(formatPrice({ price: "2.500", unit: "mtok", symbol: "USDC" })).toBe("2.5 USDC/mtok");
    expect(formatPrice({ price: "001.0", unit: "hour", symbol: "USDC" })).toBe("1 USDC/hour");
    expect(normalizeDecimal("0.000")).toBe("0");
  });

  it("says approximate units are approximate, and request is exact", () => {
    expect(describeApproximation("request")).toBeNull();
    expect(describeApproximation("mtok")).toContain("1,000 tokens");
    expect(describeApproximation("hour")).toContain("5 minutes");
  });
});

describe("toAtomicPerRequest", () => {
  it("charges the price itself per request", () => {
    expect(toAtomicPerRequest({ price: "0.01", unit: "request", decimals: 6 })).toBe("10000");
  });

  it("charges 1,000 tokens per request for mtok", () => {
    // 2 USDC per million tokens → 0.002 USDC per 1,000 tokens.
    expect(toAtomicPerRequest({ price: "2", unit: "mtok", decimals: 6 })).toBe("2000");
    expect(toAtomicPerRequest({ price: "0.0015", unit: "mtok", decimals: 6 })).toBe("2"); // 1.5 → 2 (half up)
    expect(toAtomicPerRequest({ price: "0.0014", unit: "mtok", decimals: 6 })).toBe("1");
  });

  it("charges 5 minutes per request for hour, and never zero for a positive price", () => {
    expect(toAtomicPerRequest({ price: "1.2", unit: "hour", decimals: 6 })).toBe("100000");
    expect(toAtomicPerRequest({ price: "0.000001", unit: "mtok", decimals: 6 })).toBe("1");
  });
});
