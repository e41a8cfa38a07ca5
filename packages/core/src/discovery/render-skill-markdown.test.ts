import { describe, expect, it } from "vitest";
import { buildDiscoveryInput, buildListedOffer, discoveryNow, drainingFor } from "../testing/discovery-fixtures.ts";
import { renderSkillMarkdown } from "./render-skill-markdown.ts";

describe("renderSkillMarkdown", () => {
  it("has the title, the count, links, the x402 section and one table row per service", () => {
    const md = renderSkillMarkdown(
      buildDiscoveryInput({
        offers: [
          buildListedOffer({ name: "hello", description: "says | hello" }),
          buildListedOffer({
            name: "llm",
            type: "inference",
            model: "qwen3:0.6b",
            payment: { unit: "mtok", price: "1" },
          }),
        ],
      }),
    );
    expect(md).toMatch(/^# Tollgate Service Catalog\n/);
    expect(md).toContain("2 services are available");
    expect(md).toContain("(https://seller.example/api/services.json)");
    expect(md).toContain("(https://seller.example/.well-known/agent-registration.json)");
    expect(md).toContain("## How to pay (x402)");
    expect(md).toContain("| Service | Type | Model | Price | Status | Endpoint |");
    expect(md).toContain(
      "| hello | http | — | 0.01 USDC/request on local (test) | available | https://seller.example/services/hello |",
    );
    expect(md).toContain(
      "| llm | inference | qwen3:0.6b | 1 USDC/mtok (approx.) on local (test) | available | https://seller.example/services/llm |",
    );
    expect(md).toContain("### llm");
    expect(md).toContain("**Call hint:** POST https://seller.example/services/llm/v1/chat/completions");
    expect(md).toContain("curl -i 'https://seller.example/services/hello'");
    expect(md).toContain("approximate: charged per request as 1,000 tokens");
  });

  it("shows `draining · ends <RFC 3339>` for a draining service", () => {
    const md = renderSkillMarkdown(
      buildDiscoveryInput({ offers: [buildListedOffer({ name: "bye", ...drainingFor(120) })] }),
    );
    const end = new Date(discoveryNow.getTime() + 120_000).toISOString();
    expect(md).toContain(`| bye | http | — | 0.01 USDC/request on local (test) | draining · ends ${end} |`);
    expect(md).toContain(`**Drain ends at:** ${end}`);
  });

  it("escapes HTML in seller-provided text, so a renderer never runs it", () => {
    const input = buildDiscoveryInput({
      offers: [
        buildListedOffer({ name: "hello", description: '<script>alert(1)</script>\n# <img src=x onerror="x()">' }),
      ],
    });
    const md = renderSkillMarkdown({
      ...input,
      profile: { ...input.profile, displayName: "<b>Shop</b>", tagline: "<iframe src=//evil>" },
    });
    expect(md).not.toMatch(/<script|<img|<iframe|<b>/);
    expect(md).toContain("- **Description:** &lt;script&gt;alert(1)&lt;/script&gt; # &lt;img");
    expect(md).toMatch(/^# &lt;b&gt;Shop&lt;\/b&gt; Service Catalog\n/);
  });

  it("says so when nothing is available", () => {
    const md = renderSkillMarkdown(buildDiscoveryInput());
    expect(md).toContain("0 services are available");
    expect(md).toContain("**No services currently available.**");
    expect(md).not.toContain("| Service |");
  });
});
