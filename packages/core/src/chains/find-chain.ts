import { TollgateError } from "../errors/error-codes.ts";
import { type ChainDefinition, type ChainName, chainNames, chainTable } from "./chain-table.ts";

/** True when the string is one of the built-in chain names. */
export function isChainName(value: string): value is ChainName {
  return (chainNames as readonly string[]).includes(value);
}

/** The chain with this name, or undefined. */
export function findChainByName(name: string): ChainDefinition | undefined {
  return chainTable.find((chain) => chain.name === name);
}

/** The chain with this CAIP-2 id (e.g. `eip155:8453`), or undefined. */
export function findChainByCaip2(caip2: string): ChainDefinition | undefined {
  return chainTable.find((chain) => chain.caip2 === caip2);
}

/** The chain with this numeric chain id, or undefined. */
export function findChainById(chainId: number): ChainDefinition | undefined {
  return chainTable.find((chain) => chain.chainId === chainId);
}

/** The chain with this name; a VALIDATION_FAILED error naming the known chains otherwise. */
export function getChainByName(name: string, field = "chain"): ChainDefinition {
  const chain = findChainByName(name);
  if (!chain) {
    throw new TollgateError("VALIDATION_FAILED", `Unknown chain "${name}"`, {
      field,
      hint: `Known chains: ${chainNames.join(", ")}`,
    });
  }
  return chain;
}
