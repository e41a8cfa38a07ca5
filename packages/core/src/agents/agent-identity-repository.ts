import type { AgentIdentity } from "./agent.ts";

/** Agents' ERC-8004 identities in the ledger: at most one per agent and chain. */
export interface AgentIdentityRepository {
  list(): Promise<AgentIdentity[]>;
  find(agentId: string, chain: string): Promise<AgentIdentity | null>;
  /** Creates or replaces the agent's identity on that chain. */
  save(identity: AgentIdentity): Promise<void>;
}
