/** Where a chain's ERC-8004 identity stands (the `Identity` ledger row's state). */
export const identityStates = ["pending", "registered", "off_chain_only", "failed"] as const;
export type IdentityState = (typeof identityStates)[number];

/**
 * The seller's ERC-8004 agent on one chain: one agent per seller per chain, shared by every offer on that
 * chain. `agentId` is the registry's uint256 token id as a decimal string (ids start at 0).
 */
export interface IdentityRecord {
  chain: string;
  chainId: number;
  /** IdentityRegistry address the agent lives in. */
  registry: string;
  agentId: string | null;
  /** The account that signed `register` (the agent's owner), not necessarily the payee. */
  owner: string | null;
  /** The agentURI the registry holds (`tokenURI(agentId)`), as last written by us. */
  agentUri: string | null;
  /** The last transaction sent (register or setAgentURI); kept before sending so a crash can look it up. */
  lastTxHash: string | null;
  state: IdentityState;
  /** Why the last attempt failed, or why the chain step is skipped (off-chain only). */
  lastError: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  updatedAt: Date;
}

/** The fields a save writes (everything but the chain key and the timestamp). */
export type IdentityFields = Omit<IdentityRecord, "chain" | "updatedAt">;

/** The CAIP-10 style id of an IdentityRegistry: `eip155:<chainId>:<registry>`. */
export function formatAgentRegistry({ chainId, registry }: { chainId: number; registry: string }): string {
  return `eip155:${chainId}:${registry}`;
}

/** The agentURI every identity points at: the registration document on the public origin. */
export function buildAgentUri(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/.well-known/agent-registration.json`;
}

/** True when the identity holds a minted agent in this registry. */
export function isRegisteredIn(identity: IdentityRecord | null | undefined, registry: string): boolean {
  return (
    !!identity &&
    identity.state === "registered" &&
    identity.agentId !== null &&
    identity.registry.toLowerCase() === registry.toLowerCase()
  );
}
