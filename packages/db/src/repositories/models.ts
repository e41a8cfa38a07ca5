import { type Model, type ModelRepository, type Provider, TollgateError } from "@tollgate/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

type ModelRow = Prisma.ModelGetPayload<{ include: { provider: true } }>;

const toProvider = (row: Provider): Provider => ({
  id: row.id,
  name: row.name,
  baseUrl: row.baseUrl,
  apiKeySecret: row.apiKeySecret,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const toModel = (row: ModelRow): Model => ({
  id: row.id,
  name: row.name,
  provider: toProvider(row.provider),
  upstreamModel: row.upstreamModel,
  maxTokens: row.maxTokens,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** A unique-name race (two adds at once) reads as the same conflict the service reports. */
function conflictOnDuplicate(kind: string, name: string) {
  return (error: unknown): never => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new TollgateError("CONFLICT", `A ${kind} named "${name}" already exists`, { field: "name" });
    }
    throw error;
  };
}

/** Providers and models in the ledger (core's `ModelRepository`). */
export function createModelRepository({ db }: { db: Db }): ModelRepository {
  const include = { provider: true } as const;
  return {
    listProviders: async () => (await db.provider.findMany({ orderBy: { name: "asc" } })).map(toProvider),
    async findProvider(name) {
      const row = await db.provider.findUnique({ where: { name } });
      return row ? toProvider(row) : null;
    },
    createProvider: async (data) =>
      toProvider(await db.provider.create({ data }).catch(conflictOnDuplicate("provider", data.name))),
    async deleteProvider(id) {
      await db.provider.delete({ where: { id } });
    },
    listModels: async () => (await db.model.findMany({ include, orderBy: { name: "asc" } })).map(toModel),
    async findModel(name) {
      const row = await db.model.findUnique({ where: { name }, include });
      return row ? toModel(row) : null;
    },
    createModel: async (data) =>
      toModel(await db.model.create({ data, include }).catch(conflictOnDuplicate("model", data.name))),
    async deleteModel(id) {
      await db.model.delete({ where: { id } });
    },
  };
}
