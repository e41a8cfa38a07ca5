import { type Chain, defineChain } from "viem";
import { foundry } from "viem/chains";

/** The devnet's chain id (anvil's default, and the `local` row of the chain table). */
export const devnetChainId = 31337;

/** A viem chain for the devnet at this RPC URL. */
export function devnetChain(rpcUrl: string): Chain {
  return defineChain({ ...foundry, id: devnetChainId, rpcUrls: { default: { http: [rpcUrl] } } });
}
