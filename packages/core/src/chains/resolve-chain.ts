import type { Address } from "viem";
import { TollgateError } from "../errors/error-codes.ts";
import type { ChainAsset, ChainDefinition } from "./chain-table.ts";

/** Contract addresses the devnet deployed at its first start. */
export interface DevnetAddresses {
  usdc: Address;
  identityRegistry: Address;
}

/** A chain whose asset and registry addresses are known (the devnet's filled in). */
export interface ResolvedChain extends Omit<ChainDefinition, "usdc" | "identityRegistry"> {
  usdc: ChainAsset & { address: Address };
  identityRegistry: Address;
}

/** Fills the devnet's deployed addresses into its table row; other chains pass through. */
export function resolveChain({
  chain,
  devnet,
}: {
  chain: ChainDefinition;
  devnet?: DevnetAddresses | null | undefined;
}): ResolvedChain {
  const usdc = chain.usdc.address ?? (chain.devnet ? devnet?.usdc : undefined);
  const identityRegistry = chain.identityRegistry ?? (chain.devnet ? devnet?.identityRegistry : undefined);
  if (!usdc || !identityRegistry) {
    throw new TollgateError("NOT_READY", `Chain "${chain.name}" has no deployed contracts yet`, {
      hint: "The devnet deploys them at its first start; start the server with the devnet enabled.",
    });
  }
  return { ...chain, usdc: { ...chain.usdc, address: usdc }, identityRegistry };
}
