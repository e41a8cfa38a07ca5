import type { Address } from "viem";

/**
 * Gas accounts of one chain (SPEC §15): slot 0 is the chain's facilitator key, slots 1… the same secret name
 * with `-<slot>`. Each replica leases one (an advisory lock on its ledger connection, so the lease dies with
 * the replica) and is its only writer: two processes never sign with one account's nonces.
 */
export const maxGasAccounts = 16;

/** How many gas accounts the leader's devnet keeps funded (slot 0 included): replicas beyond this wait. */
export const devnetGasAccounts = 8;

/** The secret name of a pool slot. */
export function gasAccountSecretName(base: string, slot: number): string {
  return slot === 0 ? base : `${base}-${slot}`;
}

/** The cluster-wide lease name of a gas account on a chain. */
export function gasLeaseName(chainId: number, address: Address): string {
  return `gas:${chainId}:${address.toLowerCase()}`;
}
