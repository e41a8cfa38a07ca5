import type { Agent } from "./agent.ts";

/** Agents in the ledger. */
export interface AgentRepository {
  list(): Promise<Agent[]>;
  findByName(name: string): Promise<Agent | null>;
  /** Inserts an agent; a taken name is a CONFLICT naming it. */
  create(data: {
    id: string;
    name: string;
    model: string;
    skills: string[];
    objective: string;
    walletAddress: string;
    walletSecretId: string;
  }): Promise<Agent>;
  delete(id: string): Promise<void>;
}
