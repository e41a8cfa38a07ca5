import type { LedgerSnapshot } from "@tollgate/db";
import { type Hex, isHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/**
 * What an import does with the bundle's agents (SPEC §13, §10: no import ever mints a new wallet):
 * `carried` when every agent's wallet key is available after the import (in the bundle's sealed secrets,
 * or already on this box) and derives the agent's address; `refused` otherwise, naming the agents.
 */
export type AgentKeysDecision =
  | { outcome: "none" | "carried"; message: string; agents: string[] }
  | { outcome: "refused"; message: string; hint: string; agents: string[] };

const addressOf = (key: string | undefined): string | null =>
  key && isHex(key) && key.length === 66 ? privateKeyToAccount(key as Hex).address.toLowerCase() : null;

/** Decides whether the bundle's agents keep their wallets; pure, so the dry run and the import agree. */
export function assessAgentKeys(options: {
  snapshot: LedgerSnapshot;
  /** The secrets this box will have after the import, by name (the bundle's when it carries them). */
  keyOf: (secretName: string) => string | undefined;
}): AgentKeysDecision {
  const agents = options.snapshot.agent ?? [];
  const names = agents.map((a) => String(a.name));
  if (agents.length === 0) return { outcome: "none", message: "the bundle has no agents", agents: [] };
  const missing = agents
    .filter((a) => {
      const address = typeof a.walletAddress === "string" ? a.walletAddress.toLowerCase() : null;
      const secret = typeof a.walletSecretId === "string" ? a.walletSecretId : null;
      return !address || !secret || addressOf(options.keyOf(secret)) !== address;
    })
    .map((a) => String(a.name));
  if (missing.length === 0) {
    return { outcome: "carried", message: `agents keep their wallets: ${names.join(", ")}`, agents: names };
  }
  // The import is refused as a whole, so the refused agents' outbound payments are not imported either.
  const missingIds = new Set(agents.filter((a) => missing.includes(String(a.name))).map((a) => a.id));
  const outbound = (options.snapshot.agentPayment ?? []).filter((p) => missingIds.has(p.agentId)).length;
  const outboundNote = outbound
    ? `; nothing is imported, so their ${outbound} outbound payment${outbound === 1 ? "" : "s"} stay in the bundle too`
    : "";
  return {
    outcome: "refused",
    message: `the bundle does not carry the wallet keys of agents: ${missing.join(", ")} (an import never gives an agent a new wallet)${outboundNote}`,
    hint: "export again with --passphrase-file FILE (the keys travel sealed with it) and import with the same --passphrase-file",
    agents: missing,
  };
}
