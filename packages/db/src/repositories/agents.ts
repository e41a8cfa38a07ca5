import { type Agent, type AgentRepository, TollgateError } from "@tollgate/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

type AgentRow = Prisma.AgentGetPayload<object>;

const toBigInt = (value: Prisma.Decimal | null): bigint | null => (value === null ? null : BigInt(value.toFixed()));

/** Maps a row to the domain agent; a row without a wallet (never written by this version) reads as empty strings. */
export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    model: row.model ?? "",
    skills: row.skills,
    objective: row.objective,
    walletAddress: row.walletAddress ?? "",
    walletSecretId: row.walletSecretId ?? "",
    policy: {
      maxPerPayment: toBigInt(row.maxPerPayment),
      dailyBudget: toBigInt(row.dailyBudget),
      allowNetworks: row.allowNetworks,
      allowAssets: row.allowAssets,
      allowPayees: row.allowPayees,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Agents in the ledger (core's `AgentRepository`). */
export function createAgentRepository({ db }: { db: Db }): AgentRepository {
  return {
    list: async () => (await db.agent.findMany({ orderBy: { name: "asc" } })).map(toAgent),
    async findByName(name) {
      const row = await db.agent.findUnique({ where: { name } });
      return row ? toAgent(row) : null;
    },
    async create(data) {
      try {
        return toAgent(await db.agent.create({ data }));
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new TollgateError("CONFLICT", `An agent named "${data.name}" already exists`, { field: "name" });
        }
        throw error;
      }
    },
    async delete(id) {
      await db.agent.delete({ where: { id } });
    },
  };
}
