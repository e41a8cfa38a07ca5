import type { Agent, AgentSpendPolicy, OutboundPayment, OutboundPaymentState } from "./agent.ts";
import type { OutboundPaymentAttempt, OutboundRefusal } from "./spend-policy.ts";

/** The result of reserving an outbound payment: a reserved row, or a refused one (nothing was signed). */
export type OutboundReservation =
  | { ok: true; paymentId: string }
  | { ok: false; paymentId: string; reason: OutboundRefusal; message: string };

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
    runtimeUrl: string | null;
    walletAddress: string;
    walletSecretId: string;
  }): Promise<Agent>;
  delete(id: string): Promise<void>;
  /** Points the agent at an external runtime, or back at the built-in one (null). */
  setRuntimeUrl(id: string, runtimeUrl: string | null): Promise<Agent>;
  setPolicy(id: string, policy: AgentSpendPolicy): Promise<Agent>;
  /**
   * Checks the agent's policy and reserves the amount in ONE transaction holding a lock on the agent's row
   * (`decideOutboundPayment` against what the last 24 hours reserved, signed or settled): concurrent
   * payments of one agent are decided one after another. Refusals are recorded too.
   */
  reserveOutbound(input: {
    agentId: string;
    url: string;
    attempt: OutboundPaymentAttempt;
  }): Promise<OutboundReservation>;
  /** Moves an outbound payment on (signed, settled with its tx hash, failed with its reason). */
  updateOutbound(
    id: string,
    change: { state: OutboundPaymentState; txHash?: string | null; reason?: string | null },
  ): Promise<void>;
  /** Atomic units reserved, signed or settled by the agent since `since`. */
  spentSince(agentId: string, since: Date): Promise<bigint>;
  /** Newest first; all agents when `agentId` is not given. */
  listOutbound(options: { agentId?: string; limit: number }): Promise<OutboundPayment[]>;
}
