import {
  createAdminAuthService,
  createAgentsService,
  createApiTokenService,
  createInProcessEventBus,
  createModelsService,
  type EventBus,
  createOfferSearchService,
  createOfferService,
  subscribeTo,
  tollgateVersion,
} from "@tollgate/core";
import { createAnalyticsService } from "@tollgate/core/analytics/index";
import { createChainsService } from "@tollgate/core/chains/index";
import { createIdentityService } from "@tollgate/core/identity/index";
import { createDefaultPayeesService } from "@tollgate/core/payees/manage-default-payees";
import { createPaymentsService } from "@tollgate/core/payments/index";
import { createSiteSettingsService } from "@tollgate/core/site/index";
import { createStorefrontService } from "@tollgate/core/storefront/index";
import {
  createAdminAuthRepository,
  createAnalyticsRepository,
  createApiTokenRepository,
  createAuditLog,
  createLoginAttemptCounter,
  createModelRepository,
  createPaymentRepository,
  createSecretStore,
  createSettingsStore,
  type Ledger,
} from "@tollgate/db";
import { startPgEventBus } from "@tollgate/db/cluster/start-pg-event-bus";
import { startReplicaSession } from "@tollgate/db/cluster/start-replica-session";
import { createAgentIdentityRepository } from "@tollgate/db/repositories/agent-identities";
import { createAgentRepository } from "@tollgate/db/repositories/agents";
import { createIdentityRepository } from "@tollgate/db/repositories/identities";
import { createOfferRepository } from "@tollgate/db/repositories/offers";
import { createAgentPayer } from "../agents/create-agent-payer.ts";
import { createAgentRegistrationHandler } from "../agents/handle-agent-registration-request.ts";
import { mintAgentWallet } from "../agents/mint-agent-wallet.ts";
import { startAgentRegistrar } from "../agents/start-agent-registrar.ts";
import { type AgentRuntime, startAgentRuntime } from "../agents/start-agent-runtime.ts";
import { createBackupHandler } from "../bundle/http/handle-backup-request.ts";
import { createDevnetService, type Devnet } from "../chain/index.ts";
import { takeOverDevnet } from "../chain/take-over-devnet.ts";
import { noUptoFacilitators, startUptoDevnet } from "../chain/upto/start-upto-devnet.ts";
import { seedDemoOffers } from "../demo/seed-demo-offers.ts";
import { startDemoUpstreams } from "../demo/start-demo-upstreams.ts";
import { createDiscoveryService } from "../discovery/create-discovery-service.ts";
import { handleDiscoveryRequest } from "../discovery/handle-discovery-request.ts";
import { createClusterService } from "../drivers/kubernetes/create-cluster-service.ts";
// The Kubernetes client (0.6 s of CPU to load) is imported only with TOLLGATE_DRIVER=kubernetes.
import type { ClusterProjection } from "../drivers/kubernetes/start-cluster-projection.ts";
import { createLocalDriver } from "../drivers/local/create-local-driver.ts";
import type { Env } from "../env.ts";
import { resolveCaller } from "../http/caller.ts";
import { sendJson } from "../http/send.ts";
import { createInferenceGateway } from "../gateway/inference/create-inference-gateway.ts";
import { startGateway } from "../gateway/start-gateway.ts";
import { createRegistrar } from "../identity/create-registrar.ts";
import type { Logger } from "../logger.ts";
import { startModelMonitor } from "../models/start-model-monitor.ts";
import { startReconciler } from "../reconciler/start-reconciler.ts";
import { describeOwnEndpoints, resolveHostAddresses } from "../security/own-endpoints.ts";
import { tryDevnetOffer } from "../storefront/try-devnet-offer.ts";
import type { AppServices, OffersAppService } from "../services/app-services.ts";
import type { HomePaths } from "../home/data-home.ts";
import type { ReadyParts } from "./http/create-request-handler.ts";
import { hostname } from "node:os";
import { prepareNextApp } from "./next-app.ts";
import { ensureOwnerToken } from "./owner-token.ts";
import { startChains } from "./start-chains.ts";

/** A composed server: what the request handler serves once ready, and how to take it down. */
export interface ComposedServer {
  ready: ReadyParts;
  /** Stops the loops (reconciler, registrar, drivers), the web app and the devnet, in that order. */
  stop(): Promise<void>;
}

/**
 * The composition root (SPEC §2 "one composition root"): the one place that constructs repositories,
 * services and loops. Each is built once and given what it needs; the loops (reconciler, registrar,
 * payment recovery, discovery documents) talk to each other only through the event bus — the offer
 * service publishes `offer.changed`, the reconciler `conditions`, the registrar `identity.changed`, site
 * settings `settings.changed`, a live import `ledger.replaced` — never through callbacks wired later.
 * Parts built so far are stopped if a later step fails.
 */
export async function composeServer({
  env,
  log,
  ledger,
  paths,
  masterKey,
  host,
  port,
  serveUrl,
  startedAt,
}: {
  env: Env;
  log: Logger;
  ledger: Ledger;
  paths: HomePaths;
  masterKey: Buffer;
  host: string;
  port: number;
  /** The origin this server listens on. */
  serveUrl: string;
  startedAt: Date;
}): Promise<ComposedServer> {
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log.error({ err: error }, "a part of the server did not stop cleanly");
      }
    }
  };
  try {
    const { db } = ledger;
    // Replicas on one ledger (SPEC §15): one leads and runs what must run once; a lone server simply leads.
    // With the kubernetes driver a Lease in its namespace decides; else the ledger's advisory lock.
    const replicaId = env.TOLLGATE_REPLICA_ID ?? `${hostname()}:${port}`.slice(-40);
    const leaseElection =
      env.TOLLGATE_DRIVER === "kubernetes"
        ? await (await import("../drivers/kubernetes/start-lease-election.ts")).startLeaseElection({
            kubeConfig: (await import("../drivers/kubernetes/start-cluster-projection.ts")).loadKubeConfig(
              env.KUBECONFIG,
            ).kubeConfig,
            namespace: env.TOLLGATE_KUBE_NAMESPACE,
            identity: replicaId,
            log,
          })
        : undefined;
    if (leaseElection) stops.push(() => leaseElection.stop());
    const cluster = await startReplicaSession({
      parts: ledger.parts,
      replicaId,
      log,
      ...(leaseElection ? { leadership: leaseElection } : {}),
    });
    stops.push(() => cluster.stop());
    // Several servers on one external ledger hear each other's ledger changes through LISTEN/NOTIFY (SPEC §15).
    const pgBus =
      ledger.mode === "external"
        ? await startPgEventBus({ parts: ledger.parts, replicaId: cluster.replicaId, log })
        : null;
    if (pgBus) stops.push(() => pgBus.stop());
    const events: EventBus =
      pgBus ??
      createInProcessEventBus({
        onListenerError: (error) => log.error({ err: error }, "an event listener failed"),
      });

    // Repositories: constructed here and nowhere else (a test enforces it).
    const tokens = createApiTokenRepository({ db });
    const audit = createAuditLog({ db });
    const secrets = createSecretStore({ db, masterKey });
    const settings = createSettingsStore({ db });
    const offerRepository = createOfferRepository({ db });
    const identities = createIdentityRepository({ db });
    const payments = createPaymentRepository({ db, replica: cluster.instanceId });
    const adminAuth = createAdminAuthRepository({ db });
    // Replicas share the login brake's count through the ledger; a lone server counts in memory.
    const loginAttempts = ledger.mode === "external" ? createLoginAttemptCounter({ db }) : undefined;
    const analytics = createAnalyticsRepository({ db });
    const modelRepository = createModelRepository({ db });
    const agentRepository = createAgentRepository({ db });
    const agentIdentities = createAgentIdentityRepository({ db });

    const newToken = await ensureOwnerToken({ paths, tokens });
    if (newToken) {
      // Printed once: the file keeps it for the local CLI; the ledger keeps only its hash.
      process.stdout.write(`\nOwner API token (also saved to ${paths.adminToken}):\n  ${newToken}\n\n`);
    }

    const chains = await startChains({
      home: env.home,
      // The leader owns the devnet; followers reach it through the `local` chain setting in the ledger.
      devnetEnabled: env.TOLLGATE_DEVNET && cluster.isLeader(),
      secrets,
      settings,
      log,
      leaseGasAccount: (lease) => cluster.tryLease(lease),
    });
    // Leases end with the ledger connection: another replica may now write with this one's account.
    stops.push(cluster.onLeasesLost(() => chains.runtime.releaseGasAccounts()));
    const devnet: Devnet | null = chains.devnet;
    if (devnet) {
      stops.push(() => devnet.stop());
      // Followers cached the `local` chain before the leader's devnet was up (or on another port).
      events.publish({ type: "settings.changed", key: "chains/local", at: new Date().toISOString() });
    }
    // Ends the settlement engines' timers (after the gateway, before the devnet).
    stops.push(() => chains.runtime.close());
    // The public base URL is a ledger setting; TOLLGATE_PUBLIC_URL (else the serve origin) is its default.
    const defaultPublicBaseUrl = env.TOLLGATE_PUBLIC_URL ?? serveUrl;
    // Known only now: no offer upstream may reach them (validation at create/update, and the gateway).
    const ownEndpoints = describeOwnEndpoints({ host, port, database: ledger.parts, devnetRpcUrl: devnet?.rpcUrl });
    const site = createSiteSettingsService({ settings, defaultPublicBaseUrl, audit, events });
    await site.get();

    // Offers: the local driver serves routes and probes upstreams; the reconciler's first pass is the
    // resume of every offer (there is no other path that brings offers back).
    const demo = await startDemoUpstreams();
    stops.push(() => demo.stop());
    /** With TOLLGATE_DRIVER=kubernetes the offers are also projected into a cluster (SPEC §12). */
    let projection: ClusterProjection | null = null;
    /** Agent offers (`agent://<name>`) reach their agent through the built-in runtime, started below. */
    let agentRuntime: AgentRuntime | null = null;
    const driver = createLocalDriver({
      resolveUpstream: (url) => {
        if (url.startsWith("agent://")) return agentRuntime?.resolve(url) ?? null;
        const resolved = demo.resolve(url);
        if (!resolved?.startsWith("k8s://")) return resolved;
        // A cluster upstream resolves only with the kubernetes driver.
        return projection ? projection.driver.resolveUpstream(resolved) : null;
      },
    });
    stops.push(() => driver.stop());
    // Providers' `/v1/models` for `ModelReady` of offers that sell a ledger model (SPEC §13).
    const modelMonitor = startModelMonitor({
      repo: modelRepository,
      secrets,
      log,
      onChange: () => events.publish({ type: "models.changed", at: new Date().toISOString() }),
    });
    stops.push(() => modelMonitor.stop());
    const models = createModelsService({
      repo: modelRepository,
      secrets,
      audit,
      offers: offerRepository,
      readiness: modelMonitor.readiness,
      onChange: () => modelMonitor.wake(),
    });
    const runtime = await startAgentRuntime({
      findAgent: (name) => agentRepository.findByName(name),
      getModelEndpoint: (name) => models.getModelEndpoint(name),
      demoInferenceUrl: demo.urls.inference,
      ownEndpoints,
      log,
    });
    agentRuntime = runtime;
    stops.push(() => runtime.stop());
    const reconciler = startReconciler({
      repo: offerRepository,
      driver,
      chains: chains.runtime,
      events,
      log,
      observeModels: modelMonitor.observe,
      readIdentities: async () => new Map((await identities.list()).map((identity) => [identity.chain, identity])),
      writesConditions: () => cluster.isLeader(),
    });
    stops.push(() => reconciler.stop());
    /** The live offers as the reconciler last saw them, after every change published so far. */
    const liveOffers = {
      async list() {
        // Before the first load the informer is empty: a cluster sync would then remove every ServiceOffer.
        await reconciler.loaded;
        await reconciler.settle();
        return reconciler.informer.list();
      },
    };
    const offerService = createOfferService({
      repo: offerRepository,
      chains: chains.runtime,
      settings,
      models,
      agents: { findAgent: (name) => agentRepository.findByName(name) },
      events,
      ownEndpoints: () => ownEndpoints,
      resolveHost: resolveHostAddresses,
    });
    const agents = createAgentsService({
      repo: agentRepository,
      secrets,
      audit,
      models,
      offers: offerRepository,
      deleteOffer: ({ actor, name }) => offerService.delete({ actor, input: { name } }),
      mintWallet: mintAgentWallet,
      identities: agentIdentities,
      ownEndpoints: () => ownEndpoints,
      resolveHost: resolveHostAddresses,
    });
    if (env.TOLLGATE_DRIVER === "kubernetes") {
      const [serviceName = "", servicePort = ""] = env.TOLLGATE_KUBE_SERVICE.split(":");
      const { loadKubeConfig, startClusterProjection } = await import(
        "../drivers/kubernetes/start-cluster-projection.ts"
      );
      const started = await startClusterProjection({
        ...loadKubeConfig(env.KUBECONFIG),
        namespace: env.TOLLGATE_KUBE_NAMESPACE,
        service: { name: serviceName, port: Number(servicePort) },
        repo: liveOffers,
        offers: offerService,
        settings,
        log,
        isLeader: () => cluster.isLeader(),
      });
      projection = started;
      stops.push(() => started.stop());
      stops.push(subscribeTo(events, ["offer.changed", "conditions", "ledger.replaced"], () => started.wake()));
    }
    const offers: OffersAppService = {
      ...offerService,
      async probe({ name }) {
        const shown = await offerService.show({ name });
        if (shown.state !== "deleted") await reconciler.reconcileNow(shown.id, { refresh: true });
        return offerService.show({ name });
      },
    };

    // Publication: the documents and the ERC-8004 registrar follow ledger changes on the bus.
    const discovery = createDiscoveryService({ offers: liveOffers, identities, site, events });
    stops.push(() => discovery.stop());
    const registrar = createRegistrar({
      identities,
      offers: liveOffers,
      chains: chains.runtime,
      secrets,
      getPublicBaseUrl: () => site.getPublicBaseUrl(),
      log,
      events,
      isLeader: () => cluster.isLeader(),
    });
    stops.push(() => registrar.stop());
    // Each agent sold on a chain gets its own ERC-8004 identity there, owned by its wallet.
    const agentRegistrar = startAgentRegistrar({
      agents: agentRepository,
      offers: liveOffers,
      identities: agentIdentities,
      chains: chains.runtime,
      secrets,
      getWalletKey: agents.getWalletKey,
      getPublicBaseUrl: () => site.getPublicBaseUrl(),
      isLeader: () => cluster.isLeader(),
      log,
    });
    stops.push(() => agentRegistrar.stop());
    stops.push(subscribeTo(events, ["offer.changed", "ledger.replaced"], () => agentRegistrar.wake()));
    const handleAgentRegistration = createAgentRegistrationHandler({
      findAgent: agents.findAgent,
      identities: agentIdentities,
      offers: liveOffers,
      getPublicBaseUrl: () => site.getPublicBaseUrl(),
    });
    // A follower that becomes the leader writes what it observes, takes over the registrar and the devnet.
    let devnetTaken = devnet !== null;
    stops.push(
      cluster.onChange((leads) => {
        if (!leads) return;
        void reconciler.resync().catch(() => {});
        registrar.wake();
        projection?.wake();
        if (devnetTaken || !env.TOLLGATE_DEVNET) return;
        devnetTaken = true;
        void takeOverDevnet({ home: env.home, secrets, settings, logger: log })
          .then((started) => {
            if (!started) return;
            stops.push(() => started.stop());
            chains.runtime.invalidate();
            events.publish({ type: "settings.changed", key: "chains/local", at: new Date().toISOString() });
          })
          .catch((error: unknown) => {
            devnetTaken = false;
            log.error({ err: error }, "devnet: taking it over failed");
          });
      }),
    );
    // Thousands of offers turning Ready wake the registrar once per half second, not once per offer.
    let registrarWake: ReturnType<typeof setTimeout> | undefined;
    stops.push(() => clearTimeout(registrarWake));
    stops.push(
      subscribeTo(events, ["conditions", "settings.changed", "ledger.replaced"], () => {
        registrarWake ??= setTimeout(() => {
          registrarWake = undefined;
          registrar.wake();
        }, 500).unref();
      }),
      // Another replica changed settings (chains, the devnet, the public URL): drop what this one cached.
      pgBus
        ? pgBus.onRemote(async (event) => {
            if (event.type !== "settings.changed") return;
            chains.runtime.invalidate();
            await site.refresh();
          })
        : () => {},
      subscribeTo(events, ["ledger.replaced"], () => {
        chains.runtime.invalidate();
        void site.reload().catch((error: unknown) => log.error({ err: error }, "reloading site settings failed"));
      }),
    );

    // Resolves payments a crash left pending, then serves every published route behind x402.
    const { gateway, funnelFlusher, settlementRecovery } = await startGateway({
      payments,
      analytics,
      routes: driver.routes,
      chains: chains.runtime,
      // Follows the public base URL setting, so 402 `resource.url` changes with the documents.
      publicBaseUrl: () => site.currentPublicBaseUrl(),
      log,
      events,
      maxBodyBytes: env.TOLLGATE_MAX_PAID_BODY_BYTES,
      ownEndpoints,
      isLeader: () => cluster.isLeader(),
      liveReplicas: () => cluster.liveInstances(),
      inference: createInferenceGateway({
        models,
        upto: devnet ? await startUptoDevnet({ devnet, secrets, log }) : noUptoFacilitators,
      }),
    });
    // Stopped in reverse: the gateway closes first, then the counters it left are flushed.
    stops.push(() => funnelFlusher.stop());
    stops.push(() => settlementRecovery.stop());
    stops.push(() => gateway.close());

    const devnetService = createDevnetService({ secrets, settings });
    const auth = createAdminAuthService({
      repository: adminAuth,
      audit,
      isOwnerToken: async (token) => (await tokens.findActive(token))?.scope === "admin",
      ...(loginAttempts ? { sharedAttempts: loginAttempts } : {}),
    });
    const services: AppServices = {
      version: tollgateVersion,
      auth,
      events,
      payees: createDefaultPayeesService({ settings, audit }),
      cluster: createClusterService({ projection, settings, membership: cluster }),
      storefront: createStorefrontService({
        tryDevnetOffer: ({ name, origin }) =>
          tryDevnetOffer({
            name,
            origin,
            showOffer: (offerName) => offers.show({ name: offerName }),
            devnetInfo: () => devnetService.info(),
          }),
      }),
      offers,
      models,
      agents: {
        ...agents,
        ...createAgentPayer({
          repo: agentRepository,
          listAgents: () => agentRepository.list(),
          findAgent: agents.findAgent,
          getWalletKey: agents.getWalletKey,
          devnetInfo: () => devnetService.info(),
        }),
      },
      offerSearch: createOfferSearchService({ offers: offerRepository, site }),
      identity: createIdentityService({ identities, registrar, offers }),
      site,
      chains: createChainsService({ runtime: chains.runtime }),
      devnet: devnetService,
      tokens: createApiTokenService({ store: tokens, audit }),
      payments: createPaymentsService({ repository: payments }),
      analytics: createAnalyticsService({ repository: analytics }),
      system: {
        async getInfo() {
          return {
            version: tollgateVersion,
            startedAt: startedAt.toISOString(),
            uptimeSeconds: Math.floor((Date.now() - startedAt.getTime()) / 1000),
            database: { mode: ledger.mode, serverVersion: ledger.serverVersion },
            migrations: { applied: ledger.migrations.total },
            home: env.home,
            publicBaseUrl: await site.getPublicBaseUrl().catch(() => defaultPublicBaseUrl),
          };
        },
      },
    };

    let handleWeb: ReadyParts["next"] = async (_req, res) =>
      sendJson(res, 404, { code: "NOT_FOUND", message: "Not found" });
    if (env.TOLLGATE_WEB) {
      const nextApp = await prepareNextApp({ hostname: host, port });
      stops.push(() => nextApp.close());
      handleWeb = nextApp.handle;
    }
    // Replicas starting together on a fresh ledger: only the leader seeds (the others would race it for the names).
    if (cluster.isLeader()) await seedDemoOffers({ offers: offerService, settings, log });
    // Ready means serving: the first pass has published every offer's route (a probe that hangs delays this
    // by its timeout; 10 s at most), and the documents are rendered from the informer.
    await reconciler.loaded;
    await Promise.race([reconciler.synced, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await discovery.warm().catch((error: unknown) => log.warn({ err: error }, "rendering the documents failed"));

    // A live import replaces the ledger under the running server: every cache reloads on `ledger.replaced`.
    const backup = createBackupHandler({
      db,
      masterKey,
      home: env.home,
      devnetRunning: devnet !== null,
      resolveCaller: (req) => resolveCaller(req, tokens, auth),
      events,
      log,
    });
    return {
      ready: {
        services,
        tokens,
        next: handleWeb,
        routes: driver.routes,
        discovery: {
          handle: async (req, res, pathname) =>
            (await handleAgentRegistration(req, res, pathname)) ||
            handleDiscoveryRequest({ req, res, pathname, discovery }),
        },
        gateway,
        backup,
        replication: () => ({
          replica: cluster.replicaId,
          role: cluster.isLeader() ? "leader" : "follower",
          leader: cluster.leaderId(),
        }),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
