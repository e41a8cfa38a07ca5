import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { startEmbeddedPostgres } from "../embedded/start-embedded-postgres.ts";
import { applyMigrations } from "../migrations/migrations.ts";
import { formatDatabaseUrl, type PgConnectionParts, parseDatabaseUrl } from "../pg-pool.ts";
import { createPrismaClient, type Db } from "../prisma-client.ts";
import { testEnv } from "./env.ts";
import { onServer } from "./template-database.ts";
import { makeTestHome, removeTestHome } from "./test-home.ts";

export { makeTestHome, removeTestHome };

const quietLog = { info() {}, warn() {} };

export interface TestDatabase {
  url: string;
  parts: PgConnectionParts;
  db: Db;
  mode: "embedded" | "external";
  close(): Promise<void>;
}

/** The run's server and migrated template database (vitest global setup, ./template-database.ts), if any. */
function templateDatabase(): { serverUrl: string; template: string } | undefined {
  try {
    return inject("tollgateTemplateDatabase") || undefined;
  } catch {
    return undefined; // not inside a vitest worker (benchmarks)
  }
}

/** A new database on a running server, copied from `template` or else migrated; dropped on close. */
async function databaseOnServer(
  server: PgConnectionParts,
  mode: TestDatabase["mode"],
  template?: string,
): Promise<TestDatabase> {
  const database = `tollgate_test_${randomBytes(6).toString("hex")}`;
  await onServer(server, `CREATE DATABASE ${database}${template ? ` TEMPLATE ${template}` : ""}`);
  const parts = { ...server, database };
  if (!template) await applyMigrations(parts);
  const url = formatDatabaseUrl(parts);
  const db = createPrismaClient(url);
  return {
    url,
    parts,
    db,
    mode,
    async close() {
      await db.$disconnect();
      await onServer(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

/**
 * A fresh, migrated database, dropped on close. Inside the integration tests it is a copy of the
 * run's template database, on the DATABASE_URL server when that is set, else on the run's embedded
 * PostgreSQL. Elsewhere (benchmarks): a new database on DATABASE_URL's server, or an embedded
 * PostgreSQL in a temporary home (stopped and removed on close).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const external = testEnv.databaseUrl;
  const shared = templateDatabase();
  if (shared)
    return databaseOnServer(parseDatabaseUrl(shared.serverUrl), external ? "external" : "embedded", shared.template);
  if (external) return databaseOnServer(parseDatabaseUrl(external), "external");
  const home = makeTestHome();
  const embedded = await startEmbeddedPostgres({ home, log: quietLog });
  await applyMigrations(embedded.parts);
  const db = createPrismaClient(embedded.url);
  return {
    url: embedded.url,
    parts: embedded.parts,
    db,
    mode: "embedded",
    async close() {
      await db.$disconnect();
      await embedded.stop();
      removeTestHome(home);
    },
  };
}
