#!/usr/bin/env node
// The `tollgate` command. While the bundled CLI (apps/api/dist/tollgate.mjs, built by `pnpm
// cli:bundle` and by the setup step) is current it runs that: about 0.1 s of CPU to start instead
// of 1.5 s. Otherwise, and for the commands that run the server or open the local ledger, it runs
// the TypeScript sources through tsx's loader.
import { cliBundle, cliBundleIsCurrent } from "./cli-bundle.mjs";

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

if (!onTheBox.has(commandOf(process.argv.slice(2))) && cliBundleIsCurrent()) await import(cliBundle.href);
else await import("./tollgate-from-source.mjs");
