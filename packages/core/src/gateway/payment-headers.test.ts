import { describe, expect, it } from "vitest";
import { buildPaymentRequirements } from "../testing/fixtures.ts";
import { decodeBase64Json, encodeBase64Json } from "./base64-json.ts";
import { parsePaymentHeader } from "./payment-headers.ts";

const v2 = {
  x402Version: 2,
  accepted: buildPaymentRequirements(),
  payload: { signature: "0xabc", authorization: { from: "0x1", nonce: "0x2" } },
};
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

  it("round-trips non-ASCII JSON through base64", () => {
    expect(decodeBase64Json(encodeBase64Json({ d: "café ☕" }))).toEqual({ d: "café ☕" });
  });
});
