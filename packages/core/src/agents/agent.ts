/** An agent as the ledger holds it (SPEC §13). The wallet key lives in the secret store, never here. */
export interface Agent {
  id: string;
  name: string;
  model: string;
  skills: string[];
  objective: string;
  /** An external OpenAI-compatible runtime that answers for the agent; null = the built-in runtime. */
  runtimeUrl: string | null;
  /** Checksummed address of the wallet minted at creation; never changes afterwards. */
  walletAddress: string;
  /** Name of the Secret holding the wallet's private key. */
  walletSecretId: string;
  policy: AgentSpendPolicy;
  createdAt: Date;
  updatedAt: Date;
}

/** What an agent may spend (atomic units of the asset); a null limit refuses every payment. */
export interface AgentSpendPolicy {
  maxPerPayment: bigint | null;
  dailyBudget: bigint | null;
  /** CAIP-2 networks, assets and payees the agent may pay; empty = any. */
  allowNetworks: string[];
  allowAssets: string[];
  allowPayees: string[];
}

/** A fresh wallet: the address (public) and its private key (only ever written to the secret store). */
export interface MintedWallet {
  address: string;
  privateKey: string;
}

/** The secret name holding an agent's wallet key: keyed by the agent's id, so a rename cannot orphan it. */
export function agentWalletSecretName(agentId: string): string {
  return `agents/${agentId}/wallet-key`;
}

/** The model an agent uses on a fresh box: the built-in demo model server. */
export const builtInAgentModel = "demo";

/** `agent://<name>`: the upstream an agent-backed offer stores; the runtime resolves it at run time. */
export function agentUpstreamUrl(agentName: string): string {
  return `agent://${agentName}`;
}

/** The agent name of an `agent://` upstream, else null. */
export function agentNameOfUpstream(url: string): string | null {
  return url.startsWith("agent://") ? url.slice("agent://".length).replace(/\/+$/, "") || null : null;
}

/** States of an outbound payment: reserved before signing; refused rows never signed anything. */
export type OutboundPaymentState = "reserved" | "signed" | "settled" | "failed" | "refused";

/** An outbound x402 payment an agent made or tried (direction `outbound`). */
export interface OutboundPayment {
  id: string;
  agentId: string;
  agentName: string;
  direction: "outbound";
  url: string;
  network: string | null;
  asset: string | null;
  payTo: string | null;
  amount: bigint;
  state: OutboundPaymentState;
  reason: string | null;
  txHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An agent's ERC-8004 identity on one chain, owned by the agent's wallet. */
export interface AgentIdentity {
  agentId: string;
  chain: string;
  chainId: number;
  registry: string;
  /** uint256 token id (decimal), once registered. */
  tokenId: string | null;
  owner: string;
  agentUri: string;
  state: "pending" | "registered" | "failed";
  txHash: string | null;
  lastError: string | null;
}

/** Where an agent's own registration document is served (and its on-chain agentURI points). */
export function agentRegistrationPath(agentName: string): string {
  return `/agents/${agentName}/agent-registration.json`;
}
