// esbuild pieces for code that runs inside this checkout with plain `node`: the box CLI
// (scripts/build-cli.mjs) and the helper processes tests and benchmarks start (`bundleScript`,
// used by apps/api/src/bench/target-process.ts instead of `node --import tsx`).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

// A dependency stays a module of node_modules, imported by its resolved absolute path
// (each workspace package has its own dependencies, which the bundle's folder cannot see), and each
// source file keeps its own `import.meta.url`, which locates the web app, migrations and contracts.
// The pure-JavaScript dependencies of the chain, payment and API code are compiled in instead: viem
// alone is about 1,500 module files, and resolving, reading and compiling them file by file was most
// of a server's start (`tollgate serve` is started by every restart, and by the tests many times).
// They are inlined together with everything that imports them, so no second copy loads from
// node_modules. Packages that locate files next to themselves (Prisma's engines, pino's worker,
// Next.js, PostgreSQL's binaries) or load optional native code stay external.
const nodeModules = `${join("node_modules", "/")}`;
const inlinedPackages = [/^viem$/, /^ox$/, /^abitype$/, /^@noble\//, /^@scure\//, /^zod$/, /^@x402\//, /^@trpc\//];
function packageNameOf(path) {
  const rest = path.slice(path.lastIndexOf(nodeModules) + nodeModules.length).split("/");
  return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
}
export const keepDependenciesAndSourceUrls = {
  name: "keep-dependencies-and-source-urls",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.resolving || args.path.startsWith("node:")) return undefined;
      if (!args.importer.includes(nodeModules) && args.path.startsWith("@tollgate/")) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length > 0 || !resolved.path) return { external: true };
      if (!resolved.path.includes(nodeModules)) return undefined;
      const name = packageNameOf(resolved.path);
      if (inlinedPackages.some((pattern) => pattern.test(name))) return { path: resolved.path };
      return { path: resolved.path, external: true };
    });
    b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
      if (args.path.includes(nodeModules)) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: text.replaceAll("import.meta.url", url), loader: args.path.endsWith("ts") ? "ts" : "js" };
    });
  },
};

/** Options every node bundle of this checkout shares. */
export const nodeBundleOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies (commander) call require() for Node's built-ins.
  banner: {
    js: 'import { createRequire as __tollgateRequire } from "node:module";\nconst require = __tollgateRequire(import.meta.url);',
  },
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Compiles a TypeScript entry point and the sources it imports into one module under the system's
 * temporary folder, and returns its path. Built again when any source it compiled, the lockfile (the
 * inlined dependencies) or this script changed size or modification time; otherwise reused.
 */
export async function bundleScript(entry) {
  const key = createHash("sha256").update(entry).digest("hex").slice(0, 16);
  const dir = join(tmpdir(), "tollgate-node-bundles");
  const out = join(dir, `${key}.mjs`);
  const inputsFile = join(dir, `${key}.inputs.json`);
  const alwaysInputs = [join(root, "pnpm-lock.yaml"), fileURLToPath(import.meta.url)];
  const stamp = (files) =>
    files.map((f) => {
      const s = statSync(f, { throwIfNoEntry: false });
      return [f, s?.size ?? -1, s?.mtimeMs ?? -1];
    });
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
    if (JSON.stringify(stamp(inputs.map(([f]) => f))) === JSON.stringify(inputs)) return out;
  } catch {
    // Not built yet.
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const result = await build({
    ...nodeBundleOptions,
    entryPoints: [entry],
    outfile: tmp,
    metafile: true,
    plugins: [keepDependenciesAndSourceUrls],
  });
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.includes(":") && !p.includes(nodeModules));
  const inputs = [...sources.map((p) => resolve(p)), ...alwaysInputs];
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(stamp(inputs)));
  renameSync(tmp, out);
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  return out;
}
