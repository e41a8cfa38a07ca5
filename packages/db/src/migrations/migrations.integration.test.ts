import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { applyMigrations, createMigration } from "./migrations.ts";
import { ledgerPaths } from "./paths.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

/** A fingerprint of the schema: every column of every table, plus indexes. */
async function schemaFingerprint(): Promise<string> {
  const client = new pg.Client({ ...t.parts });
  await client.connect();
  const columns = await client.query(
    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema='public' ORDER BY 1,2",
  );
  const indexes = await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname='public' ORDER BY 1");
  const applied = await client.query('SELECT migration_name FROM "_prisma_migrations" ORDER BY 1');
  await client.end();
  return JSON.stringify([columns.rows, indexes.rows, applied.rows]);
}

/** A new empty database on the test server. */
async function emptyDatabase(): Promise<typeof t.parts> {
  const database = `tollgate_empty_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ ...t.parts });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  return { ...t.parts, database };
}

async function dropDatabase(database: string): Promise<void> {
  const admin = new pg.Client({ ...t.parts });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}

describe("migrations", () => {
  it("applying the committed migrations again changes nothing", async () => {
    const before = await schemaFingerprint();
    const again = await applyMigrations(t.parts);
    expect(again.applied).toEqual([]);
    expect(again.total).toBeGreaterThan(0);
    expect(await schemaFingerprint()).toBe(before);
  });

  it("nothing to apply: applies nothing; a newly committed migration is applied alone; a failed one still refuses", async () => {
    const work = mkdtempSync(join(tmpdir(), "tollgate-migration-"));
    const fresh = await emptyDatabase();
    try {
      const migrationsDir = join(work, "migrations");
      cpSync(ledgerPaths.migrations, migrationsDir, { recursive: true });
      const first = await applyMigrations(fresh, { migrationsDir });
      expect(first.applied).toHaveLength(first.total);
      expect((await applyMigrations(fresh, { migrationsDir })).applied).toEqual([]);

      // One more committed migration than the database records: it is applied, and only it.
      const newest = "99991231000000_price_alert";
      const dir = join(migrationsDir, newest);
      mkdirSync(dir);
      writeFileSync(join(dir, "migration.sql"), 'CREATE TABLE "PriceAlert" ("id" TEXT PRIMARY KEY);\n');
      const second = await applyMigrations(fresh, { migrationsDir });
      expect(second.applied).toEqual([newest]);
      expect(second.total).toBe(first.total + 1);

      // A migration recorded as started and never finished: the engine refuses to go on (P3009).
      const client = new pg.Client({ ...fresh });
      await client.connect();
      await client.query(
        `UPDATE _prisma_migrations SET finished_at = NULL, logs = 'failed in a test' WHERE migration_name = $1`,
        [newest],
      );
      await client.end();
      await expect(applyMigrations(fresh, { migrationsDir })).rejects.toThrow(/fail/i);
    } finally {
      await dropDatabase(fresh.database);
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("creates a new migration offline from a schema change, and reports none when there is no change", async () => {
    const work = mkdtempSync(join(tmpdir(), "tollgate-migration-"));
    try {
      const migrationsDir = join(work, "migrations");
      cpSync(ledgerPaths.migrations, migrationsDir, { recursive: true });
      const schemaPath = join(work, "schema.prisma");
      const schema = readFileSync(ledgerPaths.schema, "utf8").replace(
        'output       = "../packages/db/src/generated/prisma"',
        `output       = "${join(work, "generated")}"`,
      );
      writeFileSync(schemaPath, schema);
      expect(await createMigration(t.parts, "nothing", { schemaPath, migrationsDir })).toBeNull();
      // A database the migrations never ran on, as `pnpm db:migration` first meets it: the real
      // migration folder replays on the shadow database and nothing new is written.
      const fresh = await emptyDatabase();
      try {
        expect(await createMigration(fresh, "nothing", { schemaPath, migrationsDir })).toBeNull();
      } finally {
        await dropDatabase(fresh.database);
      }
      expect(readdirSync(migrationsDir).sort()).toEqual(readdirSync(ledgerPaths.migrations).sort());

      writeFileSync(schemaPath, `${schema}\nmodel PriceAlert {\n  id    String @id\n  level Int\n}\n`);
      const created = await createMigration(t.parts, "price_alert", { schemaPath, migrationsDir });
      expect(created?.sql).toContain('CREATE TABLE "PriceAlert"');
      expect(readdirSync(migrationsDir).some((d) => d.endsWith("_price_alert"))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
