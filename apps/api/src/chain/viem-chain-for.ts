import { type Chain, defineChain } from "viem";
import { base, baseSepolia, foundry, mainnet } from "viem/chains";

const knownChains: Record<number, Chain> = {
  [mainnet.id]: mainnet,
  [base.id]: base,
  [baseSepolia.id]: baseSepolia,
  [foundry.id]: foundry,
};

/** A viem chain for the chain id, talking to `rpcUrl` (viem's definition when it has one). */
export function viemChainFor(chainId: number, rpcUrl: string): Chain {
  const known = knownChains[chainId];
  return defineChain({
    ...(known ?? {
      id: chainId,
      name: `eip155:${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    }),
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
