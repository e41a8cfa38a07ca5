import { findChainByCaip2, findChainByName } from "../chains/find-chain.ts";

/** A real chain to fund an agent on, with the payment URI a wallet app opens (shown as a QR code). */
export interface AgentFundingChain {
  chain: string;
  chainId: number;
  uri: string;
}

/** The EIP-681 URI that asks a wallet to pay `address` on chain `chainId`: `ethereum:<address>@<chainId>`. */
export function agentFundingUri({ address, chainId }: { address: string; chainId: number }): string {
  return `ethereum:${address}@${chainId}`;
}

/**
 * The real chains to fund an agent on, in a stable order: those its offers are paid on, then the networks its
 * spend policy allows. The local devnet is funded with a button instead, and unknown chains are left out.
 */
export function findAgentFundingChains({
  address,
  offerChains,
  allowNetworks,
}: {
  address: string;
  offerChains: readonly string[];
  allowNetworks: readonly string[];
}): AgentFundingChain[] {
  const chains = [
    ...offerChains.map((name) => findChainByName(name)),
    ...allowNetworks.map((caip2) => findChainByCaip2(caip2)),
  ];
  const seen = new Set<number>();
  const funding: AgentFundingChain[] = [];
  for (const chain of chains) {
    if (!chain || chain.name === "local" || seen.has(chain.chainId)) continue;
    seen.add(chain.chainId);
    funding.push({
      chain: chain.name,
      chainId: chain.chainId,
      uri: agentFundingUri({ address, chainId: chain.chainId }),
    });
  }
  return funding;
}
