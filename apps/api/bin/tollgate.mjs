#!/usr/bin/env node
// The `tollgate` command. While the bundled CLIs (apps/api/dist/, built by `pnpm cli:bundle` and by
// the setup step) are current it runs them: the single-file CLI (about 0.1 s of CPU to start instead
// of 1.5 s), and for the commands that run the server or open the local ledger the box CLI (about
// 1 s instead of 5). Otherwise it runs the TypeScript sources through tsx's loader.
import { setFlagsFromString } from "node:v8";
import { boxCliBundle, cliBundle, cliBundleIsCurrent } from "./cli-bundle.mjs";

// WebAssembly with V8's baseline compiler only. Prisma's query compiler and schema engine are
// WebAssembly modules of several megabytes, and Node 20 also compiled them with its optimizing
// compiler at every start: about 0.5 s of CPU for each server start, export or import, for code
// that runs once per query shape (Prisma caches the plans it makes). Set before any module compiles.
setFlagsFromString("--liftoff-only");

const onTheBox = new Set(["serve", "export", "import", "service"]);
const takesValue = new Set(["--url", "--token", "--remote"]);

function commandOf(argv) {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (takesValue.has(arg)) i += 1;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

if (!cliBundleIsCurrent()) await import("./tollgate-from-source.mjs");
else if (onTheBox.has(commandOf(process.argv.slice(2)))) await import(boxCliBundle.href);
else await import(cliBundle.href);
