import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { createPgPool, parseDatabaseUrl } from "./pg-pool.ts";

export type Db = PrismaClient;

/** The pg pool under each client, for what Prisma cannot do (a COPY stream). */
const pools = new WeakMap<Db, pg.Pool>();

/** A Prisma client over a pg pool for the given database URL. */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = createPgPool(parseDatabaseUrl(databaseUrl), { max: options.poolSize ?? 10 });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const db = new PrismaClient({ adapter });
  pools.set(db, pool);
  return db;
}

/** The pg pool a client from `createPrismaClient` runs on (shared: connections taken from it count against its size). */
export function pgPoolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("pgPoolOf: this Prisma client was not made by createPrismaClient");
  return pool;
}
