import type { PaymentPayload } from "@x402/core/types";
import { describe, expect, it } from "vitest";
import { buildPaymentRequirements, sellerAddress } from "../testing/fixtures.ts";
import { deepEqualJson, matchPaymentRequirement } from "./match-payment-requirement.ts";

const requirements = buildPaymentRequirements();
const authorization = { from: "0xBuyer", to: sellerAddress, value: "10000", nonce: "0x01" };

describe("matchPaymentRequirement", () => {
  it("matches v2 by deep equality of accepted, whatever the key order", () => {
    const reordered = Object.fromEntries(Object.entries(requirements).reverse()) as typeof requirements;
    const payload: PaymentPayload = { x402Version: 2, accepted: reordered, payload: { authorization } };
    expect(matchPaymentRequirement({ payment: { version: 2, payload }, accepts: [requirements] })).toMatchObject({
      matched: true,
      requirements,
    });
  });

  it.each([
    ["amount", { amount: "1" }],
    ["payTo", { payTo: "0x0000000000000000000000000000000000000001" }],
    ["maxTimeoutSeconds", { maxTimeoutSeconds: 60 }],
    ["extra", { extra: { name: "USD Coin", version: "2" } }],
  ])("refuses a v2 payment whose accepted differs in %s", (_field, change) => {
    const payload: PaymentPayload = { x402Version: 2, accepted: { ...requirements, ...change }, payload: {} };
    expect(matchPaymentRequirement({ payment: { version: 2, payload }, accepts: [requirements] }).matched).toBe(false);
  });

  it("matches v1 on scheme and network and returns the equivalent v2 payload", () => {
    const result = matchPaymentRequirement({
      payment: {
        version: 1,
        payload: { x402Version: 1, scheme: "exact", network: "eip155:31337", payload: { authorization } },
      },
      accepts: [requirements],
    });
    expect(result).toEqual({
      matched: true,
      requirements,
      payload: { x402Version: 2, accepted: requirements, payload: { authorization } },
    });
  });

  it("accepts v1 network names for chains that have one", () => {
    const base = buildPaymentRequirements({ network: "eip155:84532" });
    const result = matchPaymentRequirement({
      payment: { version: 1, payload: { x402Version: 1, scheme: "exact", network: "base-sepolia", payload: {} } },
      accepts: [base],
    });
    expect(result.matched).toBe(true);
  });

  it("refuses v1 with another network, amount or payee", () => {
    const v1 = (network: string, auth: Record<string, string>) => ({
      version: 1 as const,
      payload: { x402Version: 1 as const, scheme: "exact", network, payload: { authorization: auth } },
    });
    const accepts = [requirements];
    expect(matchPaymentRequirement({ payment: v1("base", authorization), accepts }).matched).toBe(false);
    expect(
      matchPaymentRequirement({ payment: v1("eip155:31337", { ...authorization, value: "9" }), accepts }).matched,
    ).toBe(false);
    expect(
      matchPaymentRequirement({ payment: v1("eip155:31337", { ...authorization, to: "0xOther" }), accepts }).matched,
    ).toBe(false);
  });
});

describe("deepEqualJson", () => {
  it("compares nested values and ignores undefined members", () => {
    expect(deepEqualJson({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqualJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqualJson({ a: "1" }, { a: 1 })).toBe(false);
  });
});
