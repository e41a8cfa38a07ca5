// Lists the integration test files that use the database, before any test runs, so `scripts/test.sh`
// can start their DATABASE_URL pass next to the embedded one: a file uses it when it imports, directly
// or through other modules, the harness module that reads DATABASE_URL (packages/db/src/testing/env.ts).
// The embedded pass still records every file that read DATABASE_URL; test.sh runs any it finds that
// is not listed here afterwards. Usage: node scripts/test-report/database-users.mjs > FILE
import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const harness = "packages/db/src/testing/env.ts";

function findTests(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findTests(path, found);
    else if (entry.name.endsWith(".integration.test.ts")) found.push(path);
  }
  return found;
}

// Dependencies stay out (only the workspace's own sources can reach the harness).
const workspaceOnly = {
  name: "workspace-only",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@tollgate/") ? undefined : { path: args.path, external: true },
    );
  },
};

const tests = ["apps", "packages", "contracts"].flatMap((d) => findTests(join(root, d)));
const result = await build({
  absWorkingDir: root,
  entryPoints: tests,
  bundle: true,
  write: false,
  metafile: true,
  platform: "node",
  format: "esm",
  outdir: "out",
  logLevel: "silent",
  plugins: [workspaceOnly],
});
const users = Object.values(result.metafile.outputs)
  .filter((o) => o.entryPoint && Object.keys(o.inputs).includes(harness))
  .map((o) => relative(root, resolve(root, o.entryPoint)))
  .sort();
process.stdout.write(users.map((f) => `${f}\n`).join(""));
