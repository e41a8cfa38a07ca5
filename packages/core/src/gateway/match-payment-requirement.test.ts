import type { PaymentPayload } from "@x402/core/types";
import { describe, expect, it } from "vitest";
import { buildPaymentRequirements, sellerAddress } from "../testing/fixtures.ts";
import { deepEqualJson, matchPaymentRequirement } from "./match-payment-requirement.ts";
import type { ParsedPayment } from "./payment-headers.ts";

/** A v1 payment (v1 network names are not CAIP-2, which x402's type does not describe). */
const v1 = (network: string, payload: Record<string, unknown>): ParsedPayment =>
  ({ version: 1, payload: { x402Version: 1, scheme: "exact", network, payload } }) as ParsedPayment;

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
      payment: v1("eip155:31337", { authorization }),
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
      payment: v1("base-sepolia", {}),
      accepts: [base],
    });
    expect(result.matched).toBe(true);
  });

  it("refuses v1 with another network, amount or payee", () => {
    const accepts = [requirements];
    const pay = (network: string, auth: Record<string, string>) =>
      matchPaymentRequirement({ payment: v1(network, { authorization: auth }), accepts }).matched;
    expect(pay("base", authorization)).toBe(false);
    expect(pay("eip155:31337", { ...authorization, value: "9" })).toBe(false);
    expect(pay("eip155:31337", { ...authorization, to: "0xOther" })).toBe(false);
  });
});

describe("deepEqualJson", () => {
  it("compares nested values and ignores undefined members", () => {
    expect(deepEqualJson({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqualJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqualJson({ a: "1" }, { a: 1 })).toBe(false);
  });
});
