import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { CliError, exitCodes } from "../cli-error.ts";

/**
 * Runs where the bundled CLI reaches code it left out (the server, the database, the chain): inside
 * a checkout the command is handed to the source CLI, with signals passed on and its exit code
 * kept; a copied single file says the command runs on the box itself.
 */
export async function runInCheckout(): Promise<never> {
  const sourceBin = fileURLToPath(new URL("../bin/tollgate-from-source.mjs", import.meta.url));
  if (!existsSync(sourceBin) || !existsSync(fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)))) {
    throw new CliError(
      "this command works on the box itself, from the Tollgate checkout; the single-file CLI manages a box through its API",
      exitCodes.usage,
      { hint: "run it on the box, or use a command that talks to the server (offers, payments, tokens, settings, …)" },
    );
  }
  const child = spawn(process.execPath, [sourceBin, ...process.argv.slice(2)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) =>
    child.on("exit", (c, signal) => resolve(c ?? 128 + (signal ? constants.signals[signal] : 0))),
  );
  process.exit(code);
}
