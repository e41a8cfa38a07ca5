import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../embedded/start-embedded-postgres.ts";
import { applyMigrations } from "../migrations/migrations.ts";
import { formatDatabaseUrl, type PgConnectionParts, parseDatabaseUrl } from "../pg-pool.ts";
import { createPrismaClient, type Db } from "../prisma-client.ts";
import { testEnv } from "./env.ts";

const quietLog = { info() {}, warn() {} };

export interface TestDatabase {
  url: string;
  parts: PgConnectionParts;
  db: Db;
  mode: "embedded" | "external";
  close(): Promise<void>;
}

/** Removes a temporary home and, for root-run clusters, the directory its `pg` link points to. */
export function removeTestHome(home: string): void {
  const pgLink = join(home, "pg");
  if (existsSync(pgLink) && lstatSync(pgLink).isSymbolicLink())
    rmSync(readlinkSync(pgLink), { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}

/** A new temporary TOLLGATE_HOME. */
export function makeTestHome(): string {
  return mkdtempSync(join(tmpdir(), "tollgate-test-"));
}

/**
 * A fresh, migrated database: a new database on DATABASE_URL's server when that is set (dropped on
 * close), else an embedded PostgreSQL in a temporary home (stopped and removed on close).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEnv.databaseUrl) {
    const server = parseDatabaseUrl(testEnv.databaseUrl);
    const database = `tollgate_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ ...server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const parts = { ...server, database };
    await applyMigrations(parts);
    const url = formatDatabaseUrl(parts);
    const db = createPrismaClient(url);
    return {
      url,
      parts,
      db,
      mode: "external",
      async close() {
        await db.$disconnect();
        const drop = new pg.Client({ ...server });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await drop.end();
      },
    };
  }
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
