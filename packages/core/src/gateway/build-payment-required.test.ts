import { describe, expect, it } from "vitest";
import type { PublishedRoute } from "../runtime/route-table.ts";
import { buildPaymentRequirements } from "../testing/fixtures.ts";
import { buildPaymentRequired, buildPaymentRequiredV1, buildResourceUrl } from "./build-payment-required.ts";
import { renderPaymentRequiredPage } from "./render-payment-required-page.ts";

const route: PublishedRoute = {
  offerId: "o1",
  name: "hello",
  generation: 3,
  type: "http",
  path: "/services/hello",
  upstreamUrl: "http://127.0.0.1:9999",
  chain: "base-sepolia",
  testnet: true,
  description: "Says <hello>",
  priceDisplay: "0.01 USDC/request",
  requirements: buildPaymentRequirements({ network: "eip155:84532" }),
  drainEndsAt: "2026-12-01T00:00:00.000Z",
};

describe("402 challenge", () => {
  it("builds the v2 PaymentRequired with the public URL of the resource", () => {
    const resourceUrl = buildResourceUrl({ publicBaseUrl: "https://shop.example/", requestPath: "/services/hello/x" });
    expect(resourceUrl).toBe("https://shop.example/services/hello/x");
    expect(buildPaymentRequired({ route, resourceUrl, error: "Payment required" })).toEqual({
      x402Version: 2,
      error: "Payment required",
      resource: { url: resourceUrl, description: "Says <hello>", mimeType: "application/json" },
      accepts: [route.requirements],
    });
  });

  it("builds the v1 body with maxAmountRequired and the v1 network name", () => {
    const body = buildPaymentRequiredV1({ route, resourceUrl: "https://shop.example/services/hello", error: "e" });
    expect(body.x402Version).toBe(1);
    expect(body.accepts[0]).toMatchObject({
      network: "base-sepolia",
      maxAmountRequired: "10000",
      resource: "https://shop.example/services/hello",
      payTo: route.requirements.payTo,
    });
  });

  it("renders an escaped human page naming price, chain, payee and a client snippet", () => {
    const html = renderPaymentRequiredPage({
      route,
      paymentRequired: buildPaymentRequired({ route, resourceUrl: "https://shop.example/services/hello", error: "" }),
      chainDisplayName: "Base Sepolia",
      assetSymbol: "USDC",
    });
    expect(html).toContain("Says &lt;hello&gt;");
    expect(html).not.toContain("<hello>");
    expect(html).toContain("0.01 USDC/request");
    expect(html).toContain("Base Sepolia (eip155:84532) — test money");
    expect(html).toContain(route.requirements.payTo);
    expect(html).toContain("2026-12-01T00:00:00.000Z");
    expect(html).toContain("wrapFetchWithPayment");
  });
});
