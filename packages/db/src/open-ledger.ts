import { startEmbeddedPostgres } from "./embedded/start-embedded-postgres.ts";
import { applyMigrations } from "./migrations/migrations.ts";
import { type PgConnectionParts, parseDatabaseUrl } from "./pg-pool.ts";
import pg from "pg";
import { tollgateLockNamespace } from "./cluster/start-replica-session.ts";
import { createPrismaClient, type Db } from "./prisma-client.ts";

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface Ledger {
  db: Db;
  mode: "embedded" | "external";
  parts: PgConnectionParts;
  serverVersion: string;
  migrations: { applied: string[]; total: number };
  /** Disconnects, and stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/**
 * Opens the ledger: the external server at `databaseUrl`, else an embedded PostgreSQL under
 * `<home>/pg`; applies pending migrations before returning.
 */
export async function openLedger(options: {
  databaseUrl?: string | undefined;
  home: string;
  log: Logger;
}): Promise<Ledger> {
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ home: options.home, log: options.log });
  const parts = embedded ? embedded.parts : parseDatabaseUrl(options.databaseUrl as string);
  try {
    const migrations = await applyMigrationsOnce(parts);
    if (migrations.applied.length) options.log.info({ applied: migrations.applied }, "applied ledger migrations");
    const url = embedded ? embedded.url : (options.databaseUrl as string);
    const db = createPrismaClient(url);
    const versionRows = await db.$queryRaw<{ server_version: string }[]>`SHOW server_version`;
    const serverVersion = versionRows[0]?.server_version ?? "unknown";
    return {
      db,
      mode: embedded ? "embedded" : "external",
      parts,
      serverVersion,
      migrations,
      async close() {
        await db.$disconnect().catch(() => {});
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** The advisory lock `(Toll, 2)` that serializes migrations of servers starting together on one ledger. */
const migrationLockKey = 2;

/**
 * Applies the migrations while holding a session advisory lock, so replicas starting at the same moment on a
 * fresh ledger migrate one after another (the later ones find nothing left to apply) instead of racing.
 */
async function applyMigrationsOnce(parts: PgConnectionParts): Promise<{ applied: string[]; total: number }> {
  const lock = new pg.Client({ ...parts, application_name: "tollgate-migrations" });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1::int, $2::int)", [tollgateLockNamespace, migrationLockKey]);
    return await applyMigrations(parts);
  } finally {
    await lock.end().catch(() => {});
  }
}
