import type { AgentIdentity, AgentIdentityRepository } from "@tollgate/core";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

const toIdentity = (row: Prisma.AgentIdentityGetPayload<object>): AgentIdentity => ({
  agentId: row.agentId,
  chain: row.chain,
  chainId: row.chainId,
  registry: row.registry,
  tokenId: row.tokenId,
  owner: row.owner,
  agentUri: row.agentUri,
  state: row.state === "registered" || row.state === "failed" ? row.state : "pending",
  txHash: row.txHash,
  lastError: row.lastError,
});

/** Agents' ERC-8004 identities (core's `AgentIdentityRepository`). */
export function createAgentIdentityRepository({ db }: { db: Db }): AgentIdentityRepository {
  return {
    list: async () => (await db.agentIdentity.findMany({ orderBy: { createdAt: "asc" } })).map(toIdentity),
    async find(agentId, chain) {
      const row = await db.agentIdentity.findUnique({ where: { agentId_chain: { agentId, chain } } });
      return row ? toIdentity(row) : null;
    },
    async save(identity) {
      const { agentId, chain, ...rest } = identity;
      await db.agentIdentity.upsert({
        where: { agentId_chain: { agentId, chain } },
        create: identity,
        update: rest,
      });
    },
  };
}
