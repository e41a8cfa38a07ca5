// `pnpm db:migration NAME`: writes prisma/migrations/<ts>_NAME/migration.sql from the schema change.
import { createMigration } from "../migrations/migrations.ts";
import { lastSchemaEnginePanic } from "../migrations/schema-engine.ts";
import { openScriptDatabase } from "./dev-database.ts";

const name = process.argv[2];
if (!name) {
  console.error("usage: pnpm db:migration NAME   (lowercase letters, digits, underscores)");
  process.exit(2);
}
const db = await openScriptDatabase();
let code = 0;
try {
  const created = await createMigration(db.parts, name);
  console.log(created ? `created ${created.directory}` : "no schema change: nothing to migrate");
} catch (error) {
  const panic = lastSchemaEnginePanic();
  console.error(
    `could not create the migration: ${error instanceof Error ? error.message : String(error)}${panic ? `\n${panic}` : ""}`,
  );
  code = 1;
} finally {
  await db.close();
}
process.exit(code);
