import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiTokenRepository, type Ledger, openLedger } from "@tollgate/db";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import { createAppServices } from "./create-app-services.ts";
import { acquireServerLock, ensureHome, loadOrCreateMasterKey } from "./data-home.ts";
import { createRequestHandler, type ReadyParts } from "./http/create-request-handler.ts";
import { sendJson } from "./http/send.ts";
import { prepareNextApp } from "./next-app.ts";
import { ensureOwnerToken } from "./owner-token.ts";

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops accepting requests, then the database; safe to call twice. */
  stop(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * `tollgate serve`: binds the origin first (so /healthz answers during start-up), opens the ledger
 * (embedded Postgres unless DATABASE_URL), applies migrations, ensures the owner token, loads the
 * web app, then reports ready.
 */
export async function startServer(options: {
  env: Env;
  host: string;
  port: number;
  log: Logger;
}): Promise<RunningServer> {
  const { env, host, log } = options;
  const startedAt = new Date();
  const paths = ensureHome(env.home);
  const releaseLock = acquireServerLock(paths);
  const masterKey = loadOrCreateMasterKey(paths);
  void masterKey;

  let ready: ReadyParts | null = null;
  const server = createServer(createRequestHandler({ getReady: () => ready, log }));
  server.keepAliveTimeout = 65_000;
  let port: number;
  try {
    port = await listen(server, host, options.port);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log.info({ url, home: env.home }, "listening; starting up");

  let ledger: Ledger | undefined;
  let nextApp: Awaited<ReturnType<typeof prepareNextApp>> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ready = null;
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await nextApp?.close().catch(() => {});
      await ledger?.close();
      releaseLock();
      log.info("stopped");
    })();
    return stopping;
  };

  try {
    ledger = await openLedger({ databaseUrl: env.DATABASE_URL, home: env.home, log });
    log.info(
      { mode: ledger.mode, serverVersion: ledger.serverVersion, migrations: ledger.migrations.total },
      "ledger ready",
    );
    const tokens = createApiTokenRepository({ db: ledger.db });
    const newToken = await ensureOwnerToken({ paths, tokens });
    if (newToken) {
      // Printed once: the file keeps it for the local CLI; the ledger keeps only its hash.
      process.stdout.write(`\nOwner API token (also saved to ${paths.adminToken}):\n  ${newToken}\n\n`);
    }
    const publicBaseUrl = env.TOLLGATE_PUBLIC_URL ?? url;
    const services = createAppServices({ ledger, home: env.home, publicBaseUrl, startedAt });
    let handleWeb: ReadyParts["next"] = async (_req, res) =>
      sendJson(res, 404, { code: "NOT_FOUND", message: "Not found" });
    if (env.TOLLGATE_WEB) {
      nextApp = await prepareNextApp({ hostname: host, port });
      handleWeb = nextApp.handle;
    }
    ready = { services, tokens, next: handleWeb };
    log.info({ url, startupMs: Date.now() - startedAt.getTime() }, "Tollgate is ready");
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, server, stop };
}
