import {
  type ChainRuntime,
  createModelsService,
  createOfferService,
  type ModelsService,
  type SecretStore,
  type EventPublisher,
  type OfferService,
  type OfferView,
  type RouteTable,
  type SettingsStore,
} from "@tollgate/core";
import { createAuditLog, createModelRepository, type Db } from "@tollgate/db";
import { createOfferRepository } from "@tollgate/db/repositories/offers";
import { seedDemoOffers } from "../demo/seed-demo-offers.ts";
import { type DemoUpstreams, startDemoUpstreams } from "../demo/start-demo-upstreams.ts";
import { type ModelMonitor, startModelMonitor } from "../models/start-model-monitor.ts";
import { createInMemoryRouteTable } from "../reconciler/in-memory-route-table.ts";
import { type Reconciler, type ReconcilerLog, startReconciler } from "../reconciler/start-reconciler.ts";
import { type ClusterProjection, startClusterProjection } from "../drivers/kubernetes/start-cluster-projection.ts";
import { publishConditionChanges } from "./publish-condition-changes.ts";

/** The offer service as transports see it: the core service plus `probe` (reconcile now, then show). */
export type OffersAppService = OfferService & { probe(input: { name: string }): Promise<OfferView> };

export interface RunningOffers {
  service: OffersAppService;
  /** Written by the reconciler, read by the gateway. */
  routeTable: RouteTable;
  reconciler: Reconciler;
  /** Providers and models (SPEC §13), and the model lookup the gateway uses. */
  models: ModelsService;
  /** Reads providers' `/v1/models` for `ModelReady`. */
  modelMonitor: ModelMonitor;
  demo: DemoUpstreams;
  /** The kubernetes driver's projection (null with the local driver). */
  cluster: ClusterProjection | null;
  /** Creates the demo offers once per home (see seedDemoOffers). */
  seedDemo(): Promise<"seeded" | "already" | "skipped">;
  stop(): Promise<void>;
}

/**
 * The offers half of the server: demo upstreams, route table, reconciler (its first run is the resume of
 * every offer — there is no other path that brings offers back) and the offer service, whose every change
 * wakes the reconciler. Without a chain runtime every offer reads PaymentGateReady=False/ChainNotConfigured.
 */
export async function startOffers({
  db,
  chains,
  settings,
  secrets,
  log,
  publication,
  events,
  cluster,
}: {
  db: Db;
  chains?: ChainRuntime | undefined;
  settings: SettingsStore;
  /** Provider API keys live here. */
  secrets: SecretStore;
  log: ReconcilerLog;
  /** Discovery and identity: the `Registered` input, and notifications after runs and offer changes. */
  publication?: {
    readIdentities: NonNullable<Parameters<typeof startReconciler>[0]["readIdentities"]>;
    onRun: () => void;
    onOfferChange: () => void;
  };
  /** The live stream: condition changes (from the reconciler) and offer changes are published here. */
  events?: EventPublisher;
  /** The kubernetes driver (SPEC §12): offers are also projected into this cluster. */
  cluster?: Omit<Parameters<typeof startClusterProjection>[0], "repo" | "offers" | "settings" | "log"> | undefined;
}): Promise<RunningOffers> {
  const demo = await startDemoUpstreams();
  const routeTable = createInMemoryRouteTable();
  const repo = createOfferRepository({ db });
  const reconcilerRepo = events ? publishConditionChanges(repo, events) : repo;
  const projectionRef: { current: ClusterProjection | null } = { current: null };
  const modelRepo = createModelRepository({ db });
  let wakeReconciler = () => {};
  const modelMonitor = startModelMonitor({ repo: modelRepo, secrets, log, onChange: () => wakeReconciler() });
  const reconciler = startReconciler({
    observeModels: modelMonitor.observe,
    repo: reconcilerRepo,
    chains,
    routeTable,
    log,
    resolveUpstream: (url) => {
      const resolved = demo.resolve(url);
      if (!resolved?.startsWith("k8s://")) return resolved;
      // A cluster upstream resolves only with the kubernetes driver.
      return projectionRef.current ? projectionRef.current.driver.resolveUpstream(resolved) : null;
    },
    ...publication,
    onRun: () => {
      publication?.onRun();
      projectionRef.current?.wake();
    },
  });
  const onChange = () => {
    publication?.onOfferChange();
    reconciler.wake();
    events?.publish({ type: "offer", offerName: null, action: "change", at: new Date().toISOString() });
  };
  wakeReconciler = () => reconciler.wake();
  const models = createModelsService({
    repo: modelRepo,
    secrets,
    audit: createAuditLog({ db }),
    offers: repo,
    readiness: modelMonitor.readiness,
    onChange: () => modelMonitor.wake(),
  });
  const offers = createOfferService({ repo, chains, settings, models, onChange });
  const projection = cluster ? await startClusterProjection({ ...cluster, repo, offers, settings, log }) : null;
  if (projection) projectionRef.current = projection;
  const service: OffersAppService = {
    ...offers,
    async probe({ name }) {
      await offers.show({ name });
      await reconciler.runOnce();
      return offers.show({ name });
    },
  };
  return {
    service,
    routeTable,
    reconciler,
    models,
    modelMonitor,
    demo,
    cluster: projection,
    seedDemo: () => seedDemoOffers({ offers, settings, log }),
    async stop() {
      await projection?.stop();
      await modelMonitor.stop();
      await reconciler.stop();
      await demo.stop();
    },
  };
}
