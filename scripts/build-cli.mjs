// Builds the CLI into one ES module that runs anywhere Node 20 runs: `pnpm cli:bundle [--out FILE]`.
// Commands that work on the box itself (serve, export, import) load the server code on demand; the
// bundle leaves that code out and, inside a checkout, hands such a command to the source CLI (see
// apps/api/src/cli/bundle-support/needs-checkout.ts). Next to the bundle it writes the list of its
// inputs with their sizes and times, which apps/api/bin/tollgate.mjs checks to use it only while current.
import { mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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

const tmp = `${out}.${process.pid}.tmp`;
mkdirSync(dirname(out), { recursive: true });
const result = await build({
  entryPoints: [join(cliDir, "main.ts")],
  outfile: tmp,
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
  plugins: [leaveOutOnDemandCode],
});
renameSync(tmp, out);

if (out === defaultOut) {
  // Dependencies change only with the lockfile: list it instead of hundreds of node_modules files.
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.includes(":") && !p.includes("node_modules/"));
  const inputs = [...sources, "pnpm-lock.yaml"].map((p) => {
    const file = resolve(root, p);
    const s = statSync(file);
    return [relative(root, file), s.size, s.mtimeMs];
  });
  writeFileSync(join(dirname(out), "tollgate.inputs.json"), `${JSON.stringify({ inputs })}\n`);
}
const kb = Math.round(statSync(out).size / 1024);
console.log(`${relative(process.cwd(), out) || out} (${kb} KiB, ${Object.keys(result.metafile.inputs).length} inputs)`);
