import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createPgPool, parseDatabaseUrl } from "./pg-pool.ts";

export type Db = PrismaClient;

/** A Prisma client over a pg pool for the given database URL. */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = createPgPool(parseDatabaseUrl(databaseUrl), { max: options.poolSize ?? 10 });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
