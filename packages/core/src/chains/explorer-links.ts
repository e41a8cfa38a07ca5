import type { ChainDefinition } from "./chain-table.ts";

/** Explorer page for a transaction, or null when the chain has no explorer. */
export function explorerTxUrl(chain: Pick<ChainDefinition, "explorerUrl">, txHash: string): string | null {
  return chain.explorerUrl ? `${chain.explorerUrl}/tx/${txHash}` : null;
}

/** Explorer page for an address, or null when the chain has no explorer. */
export function explorerAddressUrl(chain: Pick<ChainDefinition, "explorerUrl">, address: string): string | null {
  return chain.explorerUrl ? `${chain.explorerUrl}/address/${address}` : null;
}
