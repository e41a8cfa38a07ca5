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
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { keepDependenciesAndSourceUrls, nodeBundleOptions } from "./node-bundle.mjs";

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

const common = {
  ...nodeBundleOptions,
  entryPoints: [join(cliDir, "main.ts")],
  metafile: true,
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
  // The build scripts are inputs too: a change to what is inlined rebuilds.
  const inputs = [...sources, "pnpm-lock.yaml", "scripts/build-cli.mjs", "scripts/node-bundle.mjs"].map((p) => {
    const file = resolve(root, p);
    const s = statSync(file);
    return [relative(root, file), s.size, s.mtimeMs];
  });
  writeFileSync(join(dirname(out), "tollgate.inputs.json"), `${JSON.stringify({ inputs })}\n`);
}
const kb = Math.round(statSync(out).size / 1024);
console.log(`${relative(process.cwd(), out) || out} (${kb} KiB, ${Object.keys(result.metafile.inputs).length} inputs)`);
