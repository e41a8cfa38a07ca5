// Builds the CLI into one ES module that runs anywhere Node 20 runs: `pnpm cli:bundle [--out FILE]`.
// Commands that work on the box itself (serve, export, import) load the server code on demand; the
// bundle leaves that code out and, inside a checkout, hands such a command to the source CLI (see
// apps/api/src/cli/bundle-support/needs-checkout.ts). Next to the bundle it writes the list of its
// inputs with their sizes and times, which apps/api/bin/tollgate.mjs checks to use it only while current.
//
// Without --out it also builds the box CLI (apps/api/dist/box/tollgate.mjs and its chunks): every
// command with the server, database and chain code compiled in, split where the CLI loads code on
// demand, and the dependencies loaded from this checkout's node_modules. `tollgate serve`, export
// and import start from it without tsx transpiling and loading the sources at each start; it only
// runs inside the checkout.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const defaultOut = join(root, "apps/api/dist/tollgate.mjs");
const outIndex = process.argv.indexOf("--out");
const out = outIndex > 0 ? resolve(process.argv[outIndex + 1] ?? "") : defaultOut;
const cliDir = join(root, "apps/api/src/cli");
const needsCheckout = join(cliDir, "bundle-support/needs-checkout.ts");

// Every `import()` made by CLI code becomes a module that delegates to the checkout (or explains
// that the command needs one): the server, database and chain code stay out of the bundle.
const leaveOutOnDemandCode = {
  name: "leave-out-on-demand-code",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== "dynamic-import" || !args.importer.startsWith(cliDir)) return undefined;
      return { path: args.path, namespace: "on-demand" };
    });
    b.onLoad({ filter: /.*/, namespace: "on-demand" }, () => ({
      contents: `import { runInCheckout } from ${JSON.stringify(needsCheckout)};\nawait runInCheckout();\n`,
      loader: "js",
      resolveDir: cliDir,
    }));
  },
};

// The box CLI: a dependency stays a module of node_modules, imported by its resolved absolute path
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
const keepDependenciesAndSourceUrls = {
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

const common = {
  entryPoints: [join(cliDir, "main.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies (commander) call require() for Node's built-ins.
  banner: {
    js: 'import { createRequire as __tollgateRequire } from "node:module";\nconst require = __tollgateRequire(import.meta.url);',
  },
};

async function buildTo(file, options) {
  const tmp = `${file}.${process.pid}.tmp`;
  mkdirSync(dirname(file), { recursive: true });
  const result = await build({ ...common, ...options, outfile: tmp });
  renameSync(tmp, file);
  return result;
}

const result = await buildTo(out, { plugins: [leaveOutOnDemandCode] });

async function buildBox() {
  const dir = join(root, "apps/api/dist/box");
  const tmp = `${dir}.${process.pid}.tmp`;
  const built = await build({
    ...common,
    outdir: tmp,
    splitting: true,
    entryNames: "tollgate",
    outExtension: { ".js": ".mjs" },
    plugins: [keepDependenciesAndSourceUrls],
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return built;
}

if (out === defaultOut) {
  const box = await buildBox();
  // Dependencies change only with the lockfile: list it instead of hundreds of node_modules files.
  const all = [...Object.keys(result.metafile.inputs), ...Object.keys(box.metafile.inputs)];
  const sources = [...new Set(all)].filter((p) => !p.includes(":") && !p.includes("node_modules/"));
  const inputs = [...sources, "pnpm-lock.yaml"].map((p) => {
    const file = resolve(root, p);
    const s = statSync(file);
    return [relative(root, file), s.size, s.mtimeMs];
  });
  writeFileSync(join(dirname(out), "tollgate.inputs.json"), `${JSON.stringify({ inputs })}\n`);
}
const kb = Math.round(statSync(out).size / 1024);
console.log(`${relative(process.cwd(), out) || out} (${kb} KiB, ${Object.keys(result.metafile.inputs).length} inputs)`);
