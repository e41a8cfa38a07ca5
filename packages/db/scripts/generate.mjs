// Runs `prisma generate` offline. The Prisma CLI wants to fetch a schema-engine binary before
// every command; generate never runs it, so we point it at a stub executable (toolchain.md §2).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const stub = join(pkgDir, "node_modules", ".cache", "schema-engine-stub");
mkdirSync(dirname(stub), { recursive: true });
writeFileSync(stub, "#!/bin/sh\necho 'schema engine stub: use pnpm db:migrate' >&2\nexit 1\n");
chmodSync(stub, 0o755);

const result = spawnSync(
  process.execPath,
  [
    join(pkgDir, "node_modules", "prisma", "build", "index.js"),
    "generate",
    "--schema",
    join(pkgDir, "..", "..", "prisma", "schema.prisma"),
  ],
  {
    stdio: "inherit",
    cwd: pkgDir,
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: stub,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  },
);
if (result.status === 0) {
  // Read by scripts/lib.sh: a checkout whose schema changed since this generate regenerates.
  const schema = readFileSync(join(pkgDir, "..", "..", "prisma", "schema.prisma"));
  const hash = createHash("sha256").update(schema).digest("hex");
  writeFileSync(join(pkgDir, "src", "generated", "schema.sha256"), hash);
}
process.exit(result.status ?? 1);
