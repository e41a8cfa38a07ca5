import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPaymentRequirements } from "../testing/fixtures.ts";
import { decodeBase64Json, encodeBase64Json } from "./base64-json.ts";
import { parsePaymentHeader } from "./payment-headers.ts";

const v2 = {
  x402Version: 2,
  accepted: buildPaymentRequirements(),
  payload: {
    signature: `0x${"ab".repeat(65)}`,
    authorization: {
      from: `0x${"11".repeat(20)}`,
      to: `0x${"22".repeat(20)}`,
      value: "10000",
      validAfter: "0",
      validBefore: "1900000000",
      nonce: `0x${"33".repeat(32)}`,
    },
  },
};
const withAuthorization = (patch: Record<string, unknown>) =>
  encodeBase64Json({ ...v2, payload: { ...v2.payload, authorization: { ...v2.payload.authorization, ...patch } } });
const v1 = { x402Version: 1, scheme: "exact", network: "base-sepolia", payload: { signature: "0xabc" } };

describe("parsePaymentHeader", () => {
  it("reports no payment when neither header is present (or both are empty)", () => {
    expect(parsePaymentHeader({})).toEqual({ status: "absent" });
    expect(parsePaymentHeader({ "payment-signature": "  " })).toEqual({ status: "absent" });
  });

  it("reads a v2 PAYMENT-SIGNATURE, preferring it over X-PAYMENT", () => {
    const result = parsePaymentHeader({ "payment-signature": encodeBase64Json(v2), "x-payment": encodeBase64Json(v1) });
    expect(result).toMatchObject({ status: "ok", payment: { version: 2, payload: { accepted: v2.accepted } } });
  });

  it("reads a v1 X-PAYMENT, url-safe base64 included", () => {
    const urlSafe = encodeBase64Json(v1).replace(/\+/g, "-").replace(/\//g, "_");
    expect(parsePaymentHeader({ "x-payment": urlSafe })).toMatchObject({ status: "ok", payment: { version: 1 } });
  });

  it.each([
    ["not base64", "%%%"],
    ["not JSON", btoa("{nope")],
    ["wrong version in the v2 header", encodeBase64Json(v1)],
    ["missing accepted", encodeBase64Json({ x402Version: 2, payload: {} })],
    ["too long", "A".repeat(20_000)],
  ])("calls a header malformed when it is %s, with a hint", (_label, value) => {
    const result = parsePaymentHeader({ "payment-signature": value });
    expect(result.status).toBe("malformed");
    if (result.status === "malformed") {
      expect(result.message).toMatch(/PAYMENT-SIGNATURE/);
      expect(result.hint).toMatch(/base64/);
    }
  });

  it.each([
    ["a value that is not a number", { value: "abc" }, /payload\.authorization\.value/],
    ["a value in exponent notation", { value: "1e400" }, /payload\.authorization\.value/],
    ["a negative validBefore", { validBefore: "-1" }, /validBefore/],
    ["a short nonce", { nonce: "0x2" }, /nonce/],
    ["a payer that is not an address", { from: "0x1" }, /from/],
  ])("calls an authorization with %s malformed (400, never a facilitator failure)", (_label, patch, field) => {
    const result = parsePaymentHeader({ "payment-signature": withAuthorization(patch) });
    expect(result.status).toBe("malformed");
    if (result.status === "malformed") expect(result.message).toMatch(field);
  });

  it("never throws, whatever the header holds (10,000 generated headers)", () => {
    const small = fc.jsonValue({ maxDepth: 2 });
    const jsonish = fc.oneof(
      small,
      fc.record({
        x402Version: fc.oneof(fc.constantFrom(1, 2), small),
        scheme: fc.oneof(fc.constant("exact"), small),
        network: fc.oneof(fc.constant("eip155:31337"), fc.string()),
        accepted: fc.oneof(fc.constant(v2.accepted), small),
        payload: fc.oneof(
          fc.constant(v2.payload),
          fc.dictionary(fc.string(), small),
          fc.record({ signature: fc.string(), authorization: fc.dictionary(fc.string(), small) }),
        ),
      }),
    );
    const header = fc.oneof(
      jsonish.map((value) => encodeBase64Json(value)),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.base64String({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(header, fc.boolean(), (value, v1Header) => {
        const result = parsePaymentHeader(v1Header ? { "x-payment": value } : { "payment-signature": value });
        expect(["absent", "ok", "malformed"]).toContain(result.status);
      }),
      { numRuns: 10_000 },
    );
  }, 60_000);

  it("round-trips non-ASCII JSON through base64", () => {
    expect(decodeBase64Json(encodeBase64Json({ d: "café ☕" }))).toEqual({ d: "café ☕" });
  });
});
