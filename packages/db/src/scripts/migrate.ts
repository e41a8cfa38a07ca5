// `pnpm db:migrate`: applies pending committed migrations to DATABASE_URL or the embedded database.
import { applyMigrations } from "../migrations/migrations.ts";
import { openScriptDatabase } from "./dev-database.ts";

const db = await openScriptDatabase();
let code = 0;
try {
  const { applied, total } = await applyMigrations(db.parts);
  console.log(
    applied.length
      ? `applied ${applied.length} of ${total}: ${applied.join(", ")}`
      : `up to date (${total} migrations)`,
  );
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await db.close();
}
// The pg pool's idle timer would otherwise hold the process for 10 s (toolchain.md §2).
process.exit(code);
