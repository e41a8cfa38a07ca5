// Prints a hash of everything the web build depends on, so scripts rebuild only when it changed.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["apps/web", "packages/core/src", "apps/api/src/trpc", "pnpm-lock.yaml"];
const skip = new Set(["node_modules", ".next", "tsconfig.tsbuildinfo"]);
const hash = createHash("sha256");

function walk(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) if (!skip.has(name)) walk(join(path, name));
  } else {
    hash.update(path).update("\0").update(readFileSync(path)).update("\0");
  }
}
for (const root of roots) walk(root);
process.stdout.write(hash.digest("hex"));
