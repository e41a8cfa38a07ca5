import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** Where the ledger schema and its committed migrations live. */
export const ledgerPaths = {
  schema: join(repoRoot, "prisma", "schema.prisma"),
  migrations: join(repoRoot, "prisma", "migrations"),
};
