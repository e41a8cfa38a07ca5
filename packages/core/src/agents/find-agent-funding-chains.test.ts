import { describe, expect, it } from "vitest";
import { agentFundingUri, findAgentFundingChains } from "./find-agent-funding-chains.ts";

const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("findAgentFundingChains", () => {
  it("lists the chains the agent's offers are paid on, then those its policy allows, once each, never the devnet", () => {
    expect(
      findAgentFundingChains({
        address,
        offerChains: ["base", "local", "base", "no-such-chain"],
        allowNetworks: ["eip155:8453", "eip155:84532", "eip155:999999"],
      }),
    ).toEqual([
      { chain: "base", chainId: 8453, uri: `ethereum:${address}@8453` },
      { chain: "base-sepolia", chainId: 84532, uri: `ethereum:${address}@84532` },
    ]);
  });

  it("has nothing to show for an agent sold and allowed only on the devnet", () => {
    expect(findAgentFundingChains({ address, offerChains: ["local"], allowNetworks: [] })).toEqual([]);
  });

  it("builds the EIP-681 URI a wallet app opens", () => {
    expect(agentFundingUri({ address, chainId: 1 })).toBe(`ethereum:${address}@1`);
  });
});
