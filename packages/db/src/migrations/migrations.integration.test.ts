import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
