import type { IdentityFields, IdentityRecord, IdentityRepository } from "@tollgate/core/identity/index";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

type IdentityRow = Prisma.IdentityGetPayload<object>;

function toRecord(row: IdentityRow): IdentityRecord {
  return {
    chain: row.chain,
    chainId: row.chainId,
    registry: row.registry,
    agentId: row.agentId,
    owner: row.owner,
    agentUri: row.agentUri,
    lastTxHash: row.lastTxHash,
    state: row.state,
    lastError: row.lastError,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    updatedAt: row.updatedAt,
  };
}

/** ERC-8004 identities in the ledger: one row per chain (unique), shared by the seller's offers on it. */
export function createIdentityRepository({ db }: { db: Db }): IdentityRepository {
  return {
    async list() {
      const rows = await db.identity.findMany({ orderBy: [{ chainId: "asc" }, { chain: "asc" }] });
      return rows.map(toRecord);
    },
    async find(chain) {
      const row = await db.identity.findUnique({ where: { chain } });
      return row ? toRecord(row) : null;
    },
    async save(chain, fields: IdentityFields, audit) {
      const row = await db.$transaction(async (tx) => {
        const before = await tx.identity.findUnique({ where: { chain } });
        const saved = await tx.identity.upsert({ where: { chain }, create: { chain, ...fields }, update: fields });
        if (audit) {
          const summary = (r: IdentityRow | null) =>
            r ? { agentId: r.agentId, agentUri: r.agentUri, state: r.state, lastTxHash: r.lastTxHash } : undefined;
          await tx.auditEvent.create({
            data: {
              actor: audit.actor,
              action: audit.action,
              objectType: "Identity",
              objectId: chain,
              ...(before ? { before: summary(before) } : {}),
              after: summary(saved),
            },
          });
        }
        return saved;
      });
      return toRecord(row);
    },
  };
}
