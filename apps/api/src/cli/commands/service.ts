import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { installService } from "../../service/install-service.ts";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { printResult } from "../output.ts";

const binPath = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "bin", "tollgate.mjs");
const repoRoot = resolve(dirname(binPath), "..", "..", "..");

/** `tollgate service install`: a systemd unit so the box serves again after a reboot. */
export function registerService(program: Command, getContext: () => CliContext): void {
  const service = program.command("service").description("run Tollgate at boot (systemd)");
  service
    .command("install")
    .description("write a systemd unit that starts `tollgate serve` at boot and restarts it on failure")
    .option("--user", "install a per-user unit (~/.config/systemd/user) instead of a system unit")
    .option("--dry-run", "print the unit and what would be done, change nothing")
    .option("--port <port>", "port the service listens on (default TOLLGATE_PORT or 8402)")
    .option("--host <host>", "address the service binds (default TOLLGATE_HOST or 127.0.0.1)")
    .action((opts: { user?: boolean; dryRun?: boolean; port?: string; host?: string }) => {
      const ctx = getContext();
      const port = opts.port === undefined ? ctx.env.TOLLGATE_PORT : Number(opts.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new CliError(`--port: "${opts.port}" is not a port number (1-65535)`, exitCodes.usage);
      }
      let result: ReturnType<typeof installService>;
      try {
        result = installService({
          scope: opts.user ? "user" : "system",
          dryRun: Boolean(opts.dryRun),
          databaseUrl: ctx.env.DATABASE_URL,
          unit: {
            nodePath: process.execPath,
            binPath,
            workingDirectory: repoRoot,
            home: resolve(ctx.env.home),
            host: opts.host ?? ctx.env.TOLLGATE_HOST,
            port,
          },
        });
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), exitCodes.refused);
      }
      printResult(ctx.json, result, () =>
        [...(opts.dryRun ? [`# ${result.unitPath}`, result.unit] : []), ...result.steps.map((s) => `- ${s}`)].join(
          "\n",
        ),
      );
    });
}
