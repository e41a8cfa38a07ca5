import { findChainByName } from "../chains/find-chain.ts";

/** The symbol and decimals of a chain's known stablecoin; nulls for an asset the chain table does not know. */
export function describeAsset(line: { chain: string; asset: string }): {
  symbol: string | null;
  decimals: number | null;
} {
  const chain = findChainByName(line.chain);
  if (!chain) return { symbol: null, decimals: null };
  const known = chain.usdc.address === null || chain.usdc.address.toLowerCase() === line.asset.toLowerCase();
  return known ? { symbol: chain.usdc.symbol, decimals: chain.usdc.decimals } : { symbol: null, decimals: null };
}
