import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../embedded/start-embedded-postgres.ts";
import { applyMigrations } from "../migrations/migrations.ts";
import { formatDatabaseUrl, type PgConnectionParts, parseDatabaseUrl } from "../pg-pool.ts";
import { runDatabaseUrl } from "./env.ts";
import { makeTestHome, removeTestHome } from "./test-home.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's PostgreSQL server and the migrated database every test database is copied from. */
    tollgateTemplateDatabase: { serverUrl: string; template: string };
  }
}

const quietLog = { info() {}, warn() {} };

/** Runs one statement on the server's maintenance connection. */
export async function onServer(server: PgConnectionParts, sql: string): Promise<void> {
  const admin = new pg.Client({ ...server });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * Vitest global setup of the integration project: one PostgreSQL server for the whole run (the
 * DATABASE_URL server when set, else an embedded PostgreSQL) and one migrated template database on it.
 * `createTestDatabase()` copies the template for each test file, which takes a fraction of a second
 * where starting a cluster and migrating it took seconds.
 */
export default async function setup(project: TestProject) {
  let server: PgConnectionParts;
  let stopServer = async () => {};
  const home = makeTestHome();
  if (runDatabaseUrl) {
    server = parseDatabaseUrl(runDatabaseUrl);
  } else {
    const embedded = await startEmbeddedPostgres({ home, log: quietLog });
    server = embedded.parts;
    stopServer = () => embedded.stop();
  }
  const template = `tollgate_template_${randomBytes(6).toString("hex")}`;
  await onServer(server, `CREATE DATABASE ${template}`);
  await applyMigrations({ ...server, database: template });
  project.provide("tollgateTemplateDatabase", { serverUrl: formatDatabaseUrl(server), template });
  return async () => {
    await onServer(server, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
    await stopServer();
    removeTestHome(home);
  };
}
