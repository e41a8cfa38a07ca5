import {
  type Agent,
  type AgentRepository,
  decideOutboundPayment,
  type OutboundPayment,
  TollgateError,
} from "@tollgate/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

type AgentRow = Prisma.AgentGetPayload<object>;
type OutboundRow = Prisma.AgentPaymentGetPayload<{ include: { agent: { select: { name: true } } } }>;

/** What counts against the budget: everything not refused or failed before it could be paid. */
const spendingStates = ["reserved", "signed", "settled"] as const;
const dayMs = 24 * 60 * 60 * 1000;

const toOutbound = (row: OutboundRow): OutboundPayment => ({
  id: row.id,
  agentId: row.agentId,
  agentName: row.agent.name,
  direction: "outbound",
  url: row.url,
  network: row.network,
  asset: row.asset,
  payTo: row.payTo,
  amount: BigInt(row.amount.toFixed()),
  state: row.state,
  reason: row.reason,
  txHash: row.txHash,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const toBigInt = (value: Prisma.Decimal | null): bigint | null => (value === null ? null : BigInt(value.toFixed()));

/** Maps a row to the domain agent; a row without a wallet (never written by this version) reads as empty strings. */
export function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    model: row.model ?? "",
    skills: row.skills,
    objective: row.objective,
    runtimeUrl: row.runtimeUrl,
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
    setRuntimeUrl: async (id, runtimeUrl) => toAgent(await db.agent.update({ where: { id }, data: { runtimeUrl } })),
    async setPolicy(id, policy) {
      const row = await db.agent.update({
        where: { id },
        data: {
          maxPerPayment: policy.maxPerPayment === null ? null : policy.maxPerPayment.toString(),
          dailyBudget: policy.dailyBudget === null ? null : policy.dailyBudget.toString(),
          allowNetworks: policy.allowNetworks,
          allowAssets: policy.allowAssets,
          allowPayees: policy.allowPayees,
        },
      });
      return toAgent(row);
    },
    async reserveOutbound({ agentId, url, attempt }) {
      return db.$transaction(
        async (tx) => {
          // The row lock orders concurrent payments of one agent: each sees what the ones before it reserved.
          await tx.$queryRaw`SELECT id FROM "Agent" WHERE id = ${agentId} FOR UPDATE`;
          const agent = toAgent(await tx.agent.findUniqueOrThrow({ where: { id: agentId } }));
          const spent = await tx.agentPayment.aggregate({
            _sum: { amount: true },
            where: { agentId, state: { in: [...spendingStates] }, createdAt: { gt: new Date(Date.now() - dayMs) } },
          });
          const spentInWindow = BigInt(spent._sum.amount?.toFixed() ?? "0");
          const decision = decideOutboundPayment({ policy: agent.policy, attempt, spentInWindow });
          const row = await tx.agentPayment.create({
            data: {
              agentId,
              url,
              network: attempt.network,
              asset: attempt.asset,
              payTo: attempt.payTo,
              amount: attempt.amount.toString(),
              state: decision.ok ? "reserved" : "refused",
              reason: decision.ok ? null : decision.reason,
            },
          });
          return decision.ok
            ? { ok: true as const, paymentId: row.id }
            : { ok: false as const, paymentId: row.id, reason: decision.reason, message: decision.message };
        },
        { maxWait: 30_000, timeout: 30_000 },
      );
    },
    async updateOutbound(id, change) {
      await db.agentPayment.update({
        where: { id },
        data: {
          state: change.state,
          ...(change.txHash === undefined ? {} : { txHash: change.txHash }),
          ...(change.reason === undefined ? {} : { reason: change.reason }),
        },
      });
    },
    async spentSince(agentId, since) {
      const spent = await db.agentPayment.aggregate({
        _sum: { amount: true },
        where: { agentId, state: { in: [...spendingStates] }, createdAt: { gt: since } },
      });
      return BigInt(spent._sum.amount?.toFixed() ?? "0");
    },
    async listOutbound({ agentId, limit }) {
      const rows = await db.agentPayment.findMany({
        where: agentId ? { agentId } : {},
        include: { agent: { select: { name: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit,
      });
      return rows.map(toOutbound);
    },
  };
}
