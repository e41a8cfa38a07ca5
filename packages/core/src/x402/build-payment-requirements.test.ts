import { describe, expect, it } from "vitest";
import { buildPaymentRequirements as buildExpected, buildOffer, buildResolvedChain } from "../testing/fixtures.ts";
import { buildPaymentRequirements } from "./build-payment-requirements.ts";

describe("buildPaymentRequirements", () => {
  const chain = buildResolvedChain("local");

  it("builds the x402 v2 exact requirements of an offer", () => {
    expect(buildPaymentRequirements(buildOffer(), chain)).toEqual(buildExpected());
  });

  it("is deterministic: same offer and generation, deep-equal requirements with the same key order", () => {
    const a = buildPaymentRequirements(buildOffer({ generation: 3 }), chain);
    const b = buildPaymentRequirements(buildOffer({ generation: 3 }), chain);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("uses the per-request amount for mtok and the chain's EIP-712 domain", () => {
    const base = buildResolvedChain("base");
    const requirements = buildPaymentRequirements(buildOffer({ payment: { price: "2", unit: "mtok" } }), base);
    expect(requirements).toMatchObject({
      network: "eip155:8453",
      amount: "2000",
      asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
      extra: { name: "USD Coin", version: "2" },
    });
  });
});
