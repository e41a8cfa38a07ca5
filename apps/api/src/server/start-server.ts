import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { internalOriginFor, setInternalOrigin } from "@tollgate/core/runtime/internal-origin";
import { type Ledger, openLedger } from "@tollgate/db";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import { processMetrics } from "../metrics/process-metrics.ts";
import { createClientAddressResolver, createProxyHeaderFilter } from "../security/client-address.ts";
import { isMetricsPublic } from "../security/metrics-exposure.ts";
import { type ComposedServer, composeServer } from "./compose.ts";
import { acquireServerLock, ensureHome, loadOrCreateMasterKey } from "../home/data-home.ts";
import { createRequestHandler, type ReadyParts } from "./http/create-request-handler.ts";

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
 * (embedded Postgres unless DATABASE_URL), applies migrations, then hands the ledger to the composition
 * root (`compose.ts`) and reports ready.
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
  const masterKey = loadOrCreateMasterKey(paths, env.TOLLGATE_MASTER_KEY_FILE);

  let ready: ReadyParts | null = null;
  const server = createServer(
    createRequestHandler({
      getReady: () => ready,
      log,
      metrics: { metrics: processMetrics, isPublic: isMetricsPublic({ setting: env.TOLLGATE_METRICS_PUBLIC, host }) },
      resolveClientAddress: createClientAddressResolver(env.TOLLGATE_TRUSTED_PROXIES),
      filterProxyHeaders: createProxyHeaderFilter(env.TOLLGATE_TRUSTED_PROXIES),
    }),
  );
  server.keepAliveTimeout = 65_000;
  let port: number;
  try {
    port = await listen(server, host, options.port);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  setInternalOrigin(internalOriginFor(host, port));
  log.info({ url, home: env.home }, "listening; starting up");

  let ledger: Ledger | undefined;
  let composed: ComposedServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ready = null;
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await composed?.stop();
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
    composed = await composeServer({ env, log, ledger, paths, masterKey, host, port, serveUrl: url, startedAt });
    ready = composed.ready;
    log.info({ url, startupMs: Date.now() - startedAt.getTime() }, "Tollgate is ready");
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, server, stop };
}
