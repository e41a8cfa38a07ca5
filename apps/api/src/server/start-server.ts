import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { internalOriginFor, setInternalOrigin } from "@tollgate/core/runtime/internal-origin";
import {
  createApiTokenRepository,
  createAuditLog,
  createSecretStore,
  createSettingsStore,
  type Ledger,
  openLedger,
} from "@tollgate/db";
import { createBackupHandler } from "../bundle/http/handle-backup-request.ts";
import type { Devnet } from "../chain/index.ts";
import { type RunningDiscovery, startDiscovery } from "../discovery/start-discovery.ts";
import type { Env } from "../env.ts";
import { noUptoFacilitators, startUptoDevnet } from "../chain/upto/start-upto-devnet.ts";
import { createInferenceGateway } from "../gateway/inference/create-inference-gateway.ts";
import { startGateway } from "../gateway/start-gateway.ts";
import type { Logger } from "../logger.ts";
import { processMetrics } from "../metrics/process-metrics.ts";
import { createClientAddressResolver } from "../security/client-address.ts";
import { isMetricsPublic } from "../security/metrics-exposure.ts";
import { createAppServices } from "./create-app-services.ts";
import { acquireServerLock, ensureHome, loadOrCreateMasterKey } from "./data-home.ts";
import { createEventBus } from "./event-bus.ts";
import { createRequestHandler, type ReadyParts } from "./http/create-request-handler.ts";
import { resolveCaller } from "./http/resolve-caller.ts";
import { sendJson } from "./http/send.ts";
import { prepareNextApp } from "./next-app.ts";
import { ensureOwnerToken } from "./owner-token.ts";
import { startChains } from "./start-chains.ts";
import { loadKubeConfig } from "../drivers/kubernetes/start-cluster-projection.ts";
import { type RunningOffers, startOffers } from "./start-offers.ts";

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

  let ready: ReadyParts | null = null;
  const server = createServer(
    createRequestHandler({
      getReady: () => ready,
      log,
      metrics: { metrics: processMetrics, isPublic: isMetricsPublic({ setting: env.TOLLGATE_METRICS_PUBLIC, host }) },
      resolveClientAddress: createClientAddressResolver(env.TOLLGATE_TRUSTED_PROXIES),
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
  let offers: RunningOffers | undefined;
  let gatewayParts: Awaited<ReturnType<typeof startGateway>> | undefined;
  let chainRuntime: { close(): void } | undefined;
  let discovery: RunningDiscovery | undefined;
  let devnet: Devnet | null = null;
  let nextApp: Awaited<ReturnType<typeof prepareNextApp>> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ready = null;
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await nextApp?.close().catch(() => {});
      gatewayParts?.gateway.close();
      await gatewayParts?.funnelFlusher.stop();
      gatewayParts?.settlementRecovery.stop();
      chainRuntime?.close();
      await discovery?.stop().catch((error: unknown) => log.error({ err: error }, "registrar did not stop cleanly"));
      await offers?.stop().catch((error: unknown) => log.error({ err: error }, "offers did not stop cleanly"));
      await devnet?.stop().catch((error: unknown) => log.error({ err: error }, "devnet did not stop cleanly"));
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
    const secrets = createSecretStore({ db: ledger.db, masterKey });
    const settings = createSettingsStore({ db: ledger.db });
    const chains = await startChains({ home: env.home, devnetEnabled: env.TOLLGATE_DEVNET, secrets, settings, log });
    chainRuntime = chains.runtime;
    devnet = chains.devnet;
    const publicBaseUrl = env.TOLLGATE_PUBLIC_URL ?? url;
    // The public base URL is a ledger setting; TOLLGATE_PUBLIC_URL (else the serve origin) is its default.
    discovery = await startDiscovery({
      db: ledger.db,
      chains: chains.runtime,
      secrets,
      settings,
      defaultPublicBaseUrl: publicBaseUrl,
      log,
      audit: createAuditLog({ db: ledger.db }),
    });
    // The reconciler's first run is the resume of every offer; changes wake it.
    const events = createEventBus();
    offers = await startOffers({
      db: ledger.db,
      chains: chains.runtime,
      settings,
      secrets,
      log,
      events,
      publication: discovery.hooks,
      cluster:
        env.TOLLGATE_DRIVER === "kubernetes"
          ? {
              ...loadKubeConfig(env.KUBECONFIG),
              namespace: env.TOLLGATE_KUBE_NAMESPACE,
              service: {
                name: env.TOLLGATE_KUBE_SERVICE.split(":")[0]!,
                port: Number(env.TOLLGATE_KUBE_SERVICE.split(":")[1]),
              },
            }
          : undefined,
    });
    discovery.attachReconciler(offers.reconciler);
    // Resolves payments a crash left pending, then serves every published route behind x402.
    gatewayParts = await startGateway({
      db: ledger.db,
      routes: offers.routeTable,
      chains: chains.runtime,
      // Follows the public base URL setting, so 402 `resource.url` changes with the documents.
      publicBaseUrl: () => discovery?.site.currentPublicBaseUrl() ?? publicBaseUrl,
      log,
      events,
      maxBodyBytes: env.TOLLGATE_MAX_PAID_BODY_BYTES,
      inference: createInferenceGateway({
        models: offers.models,
        upto: devnet ? await startUptoDevnet({ devnet, secrets, log }) : noUptoFacilitators,
      }),
    });
    const services = createAppServices({
      ledger,
      home: env.home,
      publicBaseUrl,
      startedAt,
      offers: offers.service,
      models: offers.models,
      secrets,
      settings,
      chainRuntime: chains.runtime,
      identity: discovery.createIdentityService(offers.service),
      site: discovery.site,
      events,
      cluster: offers.cluster,
    });
    let handleWeb: ReadyParts["next"] = async (_req, res) =>
      sendJson(res, 404, { code: "NOT_FOUND", message: "Not found" });
    if (env.TOLLGATE_WEB) {
      nextApp = await prepareNextApp({ hostname: host, port });
      handleWeb = nextApp.handle;
    }
    await offers.seedDemo();
    const running = { offers, discovery };
    // A live import replaces the ledger under the running server: forget what caches it, then resume.
    const backup = createBackupHandler({
      db: ledger.db,
      masterKey,
      home: env.home,
      devnetRunning: devnet !== null,
      resolveCaller: (req) => resolveCaller(req, tokens, services.auth),
      afterImport: async () => {
        chains.runtime.invalidate();
        await running.discovery.site.reload();
        running.discovery.discovery.invalidate();
        running.offers.reconciler.wake();
        events.publish({ type: "offer", offerName: null, action: "change", at: new Date().toISOString() });
      },
      log,
    });
    ready = {
      services,
      tokens,
      next: handleWeb,
      routes: offers.routeTable,
      discovery,
      gateway: gatewayParts.gateway,
      backup,
    };
    log.info({ url, startupMs: Date.now() - startedAt.getTime() }, "Tollgate is ready");
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, server, stop };
}
