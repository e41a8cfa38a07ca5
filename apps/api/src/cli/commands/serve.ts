import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port: "${value}" is not a port number (0-65535)`, exitCodes.usage);
  return port;
}

/** `tollgate serve`: runs the server in the foreground until SIGTERM/SIGINT. */
export function registerServe(program: Command, getContext: () => CliContext): void {
  program
    .command("serve")
    .description("run the server: storefront, admin, tRPC, catalog and gateway on one origin")
    .option("--port <port>", "port to listen on (TOLLGATE_PORT, default 8402)")
    .option("--host <host>", "address to bind (TOLLGATE_HOST, default 127.0.0.1)")
    .action(async (opts: { port?: string; host?: string }) => {
      const { env } = getContext();
      // Loaded on demand: the server pulls in Next, the chain layer and the database; other commands stay quick.
      const [{ createLogger }, { startServer }] = await Promise.all([
        import("../../logger.ts"),
        import("../../server/start-server.ts"),
      ]);
      const log = createLogger({
        level: env.TOLLGATE_LOG_LEVEL,
        format: env.TOLLGATE_LOG_FORMAT ?? (process.stderr.isTTY ? "pretty" : "json"),
      });
      const port = opts.port === undefined ? env.TOLLGATE_PORT : parsePort(opts.port);
      const host = opts.host ?? env.TOLLGATE_HOST;
      let running: Awaited<ReturnType<typeof startServer>>;
      try {
        running = await startServer({ env, host, port, log });
      } catch (error) {
        log.fatal({ err: error }, "could not start");
        throw new CliError(error instanceof Error ? error.message : String(error), exitCodes.refused);
      }
      await new Promise<void>((resolve) => {
        const shutdown = (signal: NodeJS.Signals) => {
          log.info({ signal }, "shutting down");
          const force = setTimeout(() => {
            log.error("shutdown took over 25 s; exiting");
            process.exit(1);
          }, 25_000);
          force.unref();
          running.stop().then(resolve, (error) => {
            log.error({ err: error }, "error during shutdown");
            resolve();
          });
        };
        process.once("SIGTERM", shutdown);
        process.once("SIGINT", shutdown);
      });
    });
}
