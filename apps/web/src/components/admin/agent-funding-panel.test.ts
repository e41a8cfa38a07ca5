import { findAgentFundingChains } from "@tollgate/core/agents/find-agent-funding-chains";
import decodeQR from "qr/decode.js";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { rasterizeQrPath } from "../../lib/testing/rasterize-qr-path.ts";
import { AgentFundingPanel } from "./agent-funding-panel.tsx";

const walletAddress = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** Every QR code in the markup, read back as a scanner would read it from the screen. */
function scanCodes(markup: string): string[] {
  return [...markup.matchAll(/<svg[^>]*viewBox="0 0 (\d+) \1"[\s\S]*?<path d="([^"]+)"/g)].map(([, size, path]) =>
    decodeQR(rasterizeQrPath({ size: Number(size), path: path ?? "" }, 4)),
  );
}

describe("AgentFundingPanel", () => {
  it("on real chains shows one code per chain that a wallet reads as ethereum:<address>@<chainId>", () => {
    const agent = {
      name: "researcher",
      walletAddress,
      fundingChains: findAgentFundingChains({
        address: walletAddress,
        offerChains: ["base"],
        allowNetworks: ["eip155:1"],
      }),
    };
    const markup = renderToStaticMarkup(createElement(AgentFundingPanel, { agent }));
    expect(scanCodes(markup)).toEqual([`ethereum:${walletAddress}@8453`, `ethereum:${walletAddress}@1`]);
    expect(markup).toContain("QR code to fund researcher on base");
    expect(markup).toContain("chain id 8453");
  });

  it("without a known chain shows the plain address as the code", () => {
    const markup = renderToStaticMarkup(
      createElement(AgentFundingPanel, { agent: { name: "researcher", walletAddress, fundingChains: [] } }),
    );
    expect(scanCodes(markup)).toEqual([walletAddress]);
  });
});
