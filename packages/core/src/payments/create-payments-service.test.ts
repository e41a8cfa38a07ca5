import { describe, expect, it } from "vitest";
import { buildRevenueReport } from "./create-payments-service.ts";
import { formatAtomicAmount } from "./format-atomic-amount.ts";

const line = (chain: string, testnet: boolean, asset: string, payments: number, amount: string) => ({
  chain,
  network: `eip155:${chain}`,
  testnet,
  asset,
  payments,
  amount,
});

describe("buildRevenueReport", () => {
  it("keeps test chains apart, never in totals, and totals equal the sum of their lines", () => {
    const report = buildRevenueReport([
      line("base", false, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", 3, "30000"),
      line("ethereum", false, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", 1, "123456789012345678901234567890"),
      line("local", true, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 5, "50000"),
      line("base-sepolia", true, "0x036CbD53842c5426634e7929541eC2318f3dCF7e", 2, "20000"),
    ]);
    expect(report.lines.map((l) => l.chain)).toEqual(["base", "ethereum"]);
    expect(report.testLines.map((l) => l.chain)).toEqual(["base-sepolia", "local"]);
    expect(report.lines[0]).toMatchObject({ symbol: "USDC", decimals: 6, display: "0.03" });
    expect(report.totals).toEqual([
      {
        symbol: "USDC",
        decimals: 6,
        payments: 4,
        amount: "123456789012345678901234597890",
        display: "123456789012345678901234.59789",
      },
    ]);
    expect(report.testTotals).toEqual([{ symbol: "USDC", decimals: 6, payments: 7, amount: "70000", display: "0.07" }]);
  });

  it("shows an unknown asset in atomic units and totals it under its address", () => {
    const report = buildRevenueReport([line("base", false, "0xUnknown", 1, "5")]);
    expect(report.lines[0]).toMatchObject({ symbol: null, decimals: null, display: null });
    expect(report.totals[0]).toMatchObject({ symbol: "0xUnknown", amount: "5" });
  });
});

describe("formatAtomicAmount", () => {
  it("formats with integer arithmetic", () => {
    expect(formatAtomicAmount({ amount: "10000", decimals: 6 })).toBe("0.01");
    expect(formatAtomicAmount({ amount: "1000000", decimals: 6 })).toBe("1");
    expect(formatAtomicAmount({ amount: "0", decimals: 6 })).toBe("0");
  });
});
