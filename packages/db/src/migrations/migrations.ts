import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { PgConnectionParts } from "../pg-pool.ts";
import { ledgerPaths } from "./paths.ts";
import { openSchemaEngine } from "./schema-engine.ts";

const LOCKFILE = "migration_lock.toml";
const LOCKFILE_CONTENT = '# Written by `pnpm db:migration`; do not edit.\nprovider = "postgresql"\n';
const filters = { externalTables: [], externalEnums: [] };

interface MigrationLocation {
  schemaPath?: string;
  migrationsDir?: string;
}

/** The committed migrations' folder names, oldest first. */
function committedMigrationNames(migrationsDir: string): string[] {
  return existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .filter((name) => statSync(join(migrationsDir, name)).isDirectory())
        .sort()
    : [];
}

/** Reads the migrations folder in the shape the schema engine expects. */
function loadMigrationsList(migrationsDir: string) {
  const dirs = committedMigrationNames(migrationsDir);
  const lockPath = join(migrationsDir, LOCKFILE);
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((dir) => {
      const file = join(migrationsDir, dir, "migration.sql");
      return {
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

/**
 * True when the database records exactly the committed migrations as finished, and no failed or
 * unknown one: there is nothing to apply. Anything else (no history table, a failed or foreign
 * migration, one not yet applied) goes to the schema engine, which applies or explains. A restart
 * then does not instantiate the engine's wasm, which is most of the time migrations take at start.
 */
async function nothingToApply(parts: PgConnectionParts, committed: string[]): Promise<boolean> {
  const client = new pg.Client({ ...parts, application_name: "tollgate-migrations-check" });
  await client.connect();
  try {
    const table = await client.query<{ exists: boolean }>(
      "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
    );
    if (!table.rows[0]?.exists) return false;
    const rows = await client.query<{ name: string; finished: boolean; rolled_back: boolean }>(
      `SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
         FROM _prisma_migrations`,
    );
    const applied = new Set<string>();
    for (const row of rows.rows) {
      if (row.rolled_back) continue;
      if (!row.finished) return false;
      applied.add(row.name);
    }
    return applied.size === committed.length && committed.every((name) => applied.has(name));
  } finally {
    await client.end().catch(() => {});
  }
}

/** Applies every committed migration not yet applied (`migrate deploy`); returns the names it applied. */
export async function applyMigrations(
  parts: PgConnectionParts,
  location: MigrationLocation = {},
): Promise<{ applied: string[]; total: number }> {
  const migrationsDir = location.migrationsDir ?? ledgerPaths.migrations;
  const committed = committedMigrationNames(migrationsDir);
  if (await nothingToApply(parts, committed)) return { applied: [], total: committed.length };
  const { engine, run, dispose } = await openSchemaEngine({
    parts,
    schemaPath: location.schemaPath ?? ledgerPaths.schema,
  });
  try {
    const migrationsList = loadMigrationsList(migrationsDir);
    const out = await run(() => engine.applyMigrations({ migrationsList, filters }));
    return { applied: out.appliedMigrationNames, total: migrationsList.migrationDirectories.length };
  } finally {
    await dispose();
  }
}

/**
 * Creates a migration from the difference between the committed migrations and the schema
 * (`migrate dev --create-only`). Returns null when the schema has no change to migrate.
 */
export async function createMigration(
  parts: PgConnectionParts,
  name: string,
  location: MigrationLocation = {},
): Promise<{ directory: string; sql: string } | null> {
  if (!/^[a-z0-9_]{1,60}$/.test(name)) {
    throw new Error("migration name: use 1-60 lowercase letters, digits or underscores");
  }
  const migrationsDir = location.migrationsDir ?? ledgerPaths.migrations;
  const schemaPath = location.schemaPath ?? ledgerPaths.schema;
  const { engine, schemaText, run, dispose } = await openSchemaEngine({ parts, schemaPath });
  try {
    const migrationsList = loadMigrationsList(migrationsDir);
    // Like `migrate dev`, bring the database up to the committed migrations first. The wasm engine only
    // connects its shadow database while devDiagnostic checks an already-migrated database for drift;
    // on an empty one createMigration then fails with "shadow DB must be provided through an external factory".
    await run(() => engine.applyMigrations({ migrationsList, filters }));
    const diagnostic = await run(() => engine.devDiagnostic({ migrationsList, filters }));
    if (diagnostic.action.tag === "reset") {
      throw new Error(
        `the database differs from the committed migrations (${diagnostic.action.reason}); reset it or point DATABASE_URL at a fresh database`,
      );
    }
    const out = await run(() =>
      engine.createMigration({
        draft: false,
        migrationName: name,
        migrationsList,
        schema: { files: [{ path: schemaPath, content: schemaText }] },
        filters,
      }),
    );
    if (!out.migrationScript) return null;
    const directory = join(migrationsDir, out.generatedMigrationName);
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `migration.${out.extension}`), out.migrationScript);
    if (!existsSync(join(migrationsDir, LOCKFILE))) writeFileSync(join(migrationsDir, LOCKFILE), LOCKFILE_CONTENT);
    return { directory, sql: out.migrationScript };
  } finally {
    await dispose();
  }
}
