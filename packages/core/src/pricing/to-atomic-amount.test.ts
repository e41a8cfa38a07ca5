import { describe, expect, it } from "vitest";
import { TollgateError } from "../errors/error-codes.ts";
import { toAtomicAmount } from "./to-atomic-amount.ts";

function refusal(fn: () => unknown): TollgateError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TollgateError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("toAtomicAmount", () => {
  it.each([
    ["1", 6, "1000000"],
    ["0.001", 6, "1000"],
    ["0.000001", 6, "1"],
    ["12.5", 6, "12500000"],
    ["007.10", 6, "7100000"],
    ["1000000", 6, "1000000000000"],
    ["0.1", 18, "100000000000000000"],
    ["3", 0, "3"],
    ["1.000000", 6, "1000000"],
    ["0.0000010", 6, "1"],
  ])("converts %s with %i decimals to %s", (amount, decimals, expected) => {
    expect(toAtomicAmount({ amount, decimals })).toBe(expected);
  });

  it("is exact where floats are not", () => {
    // 0.1 + 0.2 style errors: 1.005 * 10^6 in floats is 1004999.9999999999.
    expect(toAtomicAmount({ amount: "1.005", decimals: 6 })).toBe("1005000");
    expect(toAtomicAmount({ amount: "123456789012345678901234567890.123456", decimals: 6 })).toBe(
      "123456789012345678901234567890123456",
    );
  });

  it("refuses more decimals than the asset has", () => {
    const error = refusal(() => toAtomicAmount({ amount: "0.0000001", decimals: 6, field: "price" }));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.field).toBe("price");
    expect(error.message).toContain("more than 6 decimal places");
    expect(error.hint).toContain("0.000001");
  });

  it("rounds half up when asked", () => {
    expect(toAtomicAmount({ amount: "0.0000015", decimals: 6, excessDecimals: "round-half-up" })).toBe("2");
    expect(toAtomicAmount({ amount: "0.0000014999", decimals: 6, excessDecimals: "round-half-up" })).toBe("1");
    expect(toAtomicAmount({ amount: "0.0000025", decimals: 6, excessDecimals: "round-half-up" })).toBe("3");
    expect(toAtomicAmount({ amount: "1.9999999", decimals: 6, excessDecimals: "round-half-up" })).toBe("2000000");
    expect(toAtomicAmount({ amount: "2.5", decimals: 0, excessDecimals: "round-half-up" })).toBe("3");
  });

  it("refuses an amount that rounds to zero", () => {
    expect(
      refusal(() => toAtomicAmount({ amount: "0.0000004", decimals: 6, excessDecimals: "round-half-up" })).message,
    ).toContain("zero");
  });

  it.each(["0", "0.0", "0.000000", "000"])("refuses zero (%s)", (amount) => {
    expect(refusal(() => toAtomicAmount({ amount, decimals: 6 })).message).toContain("zero");
  });

  it.each(["-1", "-0.5"])("refuses negatives (%s)", (amount) => {
    expect(refusal(() => toAtomicAmount({ amount, decimals: 6 })).message).toContain("positive");
  });

  it.each(["", " 1", "1 ", "1e3", "0x10", "1,5", ".5", "5.", "+1", "1.2.3", "abc", "NaN", "Infinity", "١"])(
    "refuses junk %j",
    (amount) => {
      expect(refusal(() => toAtomicAmount({ amount, decimals: 6 })).code).toBe("VALIDATION_FAILED");
    },
  );

  it("refuses amounts beyond uint256 and absurdly long input", () => {
    expect(refusal(() => toAtomicAmount({ amount: "9".repeat(80), decimals: 0 })).message).toContain("too large");
    expect(refusal(() => toAtomicAmount({ amount: "1".repeat(101), decimals: 0 })).message).toContain("too long");
  });

  it("rejects an invalid decimals argument as a programming error", () => {
    expect(() => toAtomicAmount({ amount: "1", decimals: -1 })).toThrow(RangeError);
    expect(() => toAtomicAmount({ amount: "1", decimals: 1.5 })).toThrow(RangeError);
  });
});
