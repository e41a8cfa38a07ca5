import { describe, expect, it } from "vitest";
import { renderServiceCatalog } from "../discovery/render-service-catalog.ts";
import { renderSkillMarkdown } from "../discovery/render-skill-markdown.ts";
import { toOfferView } from "../offers/to-offer-view.ts";
import { meteredTokensDescription } from "../pricing/format-price.ts";
import { buildDiscoveryInput, buildListedOffer } from "../testing/discovery-fixtures.ts";

const metered = buildListedOffer({
  name: "chat",
  type: "inference",
  model: "demo",
  upstreamUrl: "model://demo",
  payment: { unit: "mtok", price: "0.50" },
});

describe("per-token offers on every surface", () => {
  it("say the buyer pays for what they use, with upto, instead of an approximation", () => {
    const service = renderServiceCatalog(buildDiscoveryInput({ offers: [metered] })).services[0];
    expect(service?.priceApproximation).toBe(meteredTokensDescription);
    const md = renderSkillMarkdown(buildDiscoveryInput({ offers: [metered] }));
    expect(md).toContain("you pay for what you use");
    expect(md).toContain("`upto` (Permit2");
    expect(md).not.toContain("until exact metering exists");
    expect(toOfferView(metered.offer, []).payment.approximation).toBe(meteredTokensDescription);
  });

  it("keep the approximation for a per-mtok offer on a plain upstream", () => {
    const plain = buildListedOffer({ type: "inference", model: "m", payment: { unit: "mtok", price: "1" } });
    expect(toOfferView(plain.offer, []).payment.approximation).toContain("approximate");
  });
});
