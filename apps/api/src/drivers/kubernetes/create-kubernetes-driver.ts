import {
  ApiException,
  CustomObjectsApi,
  DiscoveryV1Api,
  type Informer,
  type KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  PatchStrategy,
  setHeaderOptions,
  CoreV1Api,
  ApiextensionsV1Api,
} from "@kubernetes/client-node";
import type { Offer, OfferCondition } from "@tollgate/core";
import {
  parseClusterUpstream,
  renderHttpRoute,
  renderServiceOffer,
  renderStatusConditions,
  type ServiceOfferObject,
  type ServiceOfferSpec,
  type StatusCondition,
} from "./render-service-offer.ts";
import { resolveThroughEndpointSlices, resolveThroughServiceDns } from "./resolve-cluster-upstream.ts";
import {
  FIELD_MANAGER,
  LEDGER_FINALIZER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SERVICE_OFFER_CRD_NAME,
  SERVICE_OFFER_GROUP,
  SERVICE_OFFER_PLURAL,
  SERVICE_OFFER_VERSION,
  serviceOfferCrd,
} from "./service-offer-crd.ts";

/** What the ledger wants for one offer key. */
export interface DesiredOffer {
  offer: Offer;
  conditions: OfferCondition[];
}

/** A change made in the cluster (kubectl) that the ledger must judge. */
export type ClusterChange =
  | { type: "adopt"; name: string; spec: ServiceOfferSpec; generation: number }
  | { type: "edit"; name: string; spec: ServiceOfferSpec; generation: number }
  | { type: "delete"; name: string };

/** The ledger's verdict on a cluster change. */
export type ChangeVerdict = { accepted: true } | { accepted: false; reason: string; message: string };

export interface ClusterStatus {
  driver: "kubernetes";
  server: string;
  namespace: string;
  conditions: StatusCondition[];
  crdInstalled: boolean;
  managedOffers: number;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Writes made to repair objects changed or deleted behind Tollgate's back. */
  driftRepairs: number;
  /** API requests made by the driver since start (watches not counted per event). */
  apiRequests: number;
}

export interface KubernetesDriver {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Projects the whole ledger (level-triggered): creates, repairs, and removes what the ledger no longer has. */
  sync(desired: DesiredOffer[], options: { gateway: { namespace: string; name: string } | null }): Promise<void>;
  /** Routes kubectl changes to the ledger; the verdict is written on the resource (`Accepted`). */
  onClusterChange(handler: (change: ClusterChange) => Promise<ChangeVerdict>): void;
  /** Asks for a sync soon (a watch event changed something). */
  onWakeRequest(listener: () => void): void;
  /** `k8s://ns/svc:port` → URL (EndpointSlices outside the cluster, Service DNS inside); others pass through. */
  resolveUpstream(url: string): string | null;
  status(): ClusterStatus;
}

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

type Route = KubernetesObject & { spec?: unknown };

const isNotFound = (err: unknown) => err instanceof ApiException && err.code === 404;
const statusOf = (err: unknown): number | undefined =>
  err instanceof ApiException ? err.code : ((err as { statusCode?: number } | null)?.statusCode ?? undefined);

/** An HTTP answer from the API server (as opposed to a connection failure). */
const isApiAnswer = (err: unknown) =>
  (err instanceof ApiException && err.code > 0) ||
  (typeof err === "object" && err !== null && typeof (err as { statusCode?: unknown }).statusCode === "number");
const errorText = (err: unknown): string => {
  if (err instanceof ApiException) {
    try {
      const body = JSON.parse(String(err.body)) as { message?: string };
      return `${err.code}: ${body.message ?? err.message}`;
    } catch {
      return `${err.code}: ${err.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
};

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** True when every field `want` sets has the same value in `have` (server defaults and others' fields ignored). */
const covers = (have: unknown, want: unknown): boolean => {
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => covers(have[i], w));
  }
  if (want && typeof want === "object") {
    if (!have || typeof have !== "object" || Array.isArray(have)) return false;
    return Object.entries(want as Record<string, unknown>).every(([k, v]) =>
      covers((have as Record<string, unknown>)[k], v),
    );
  }
  return have === want;
};

/** Offers projected at once during a sync. */
const SYNC_CONCURRENCY = 16;

/** Backoff after API errors doubles from 250 ms up to this (a reconnect converges within one resync). */
const MAX_BACKOFF_MS = 8_000;

const now = () => `${new Date().toISOString().slice(0, 19)}Z`;

/**
 * The kubernetes driver (SPEC §12): mirrors each ledger offer as a ServiceOffer (server-side apply,
 * field manager `tollgate`, finalizer `tollgate.dev/ledger`) with one HTTPRoute, watches ServiceOffers,
 * HTTPRoutes, Services and EndpointSlices through informers (relist on 410), writes only what differs
 * from the watched state (nothing at steady state), repairs drift on the next sync, hands kubectl edits,
 * adoptions and deletions to the ledger, and reports ClusterReachable. API errors back off exponentially;
 * offers keep serving from the last known state while the API server is away.
 */
export function createKubernetesDriver(options: {
  kubeConfig: KubeConfig;
  namespace: string;
  service: { name: string; port: number };
  inCluster: boolean;
  log: Log;
}): KubernetesDriver {
  const { kubeConfig: kc, namespace, service, log } = options;
  const objects = kc.makeApiClient(KubernetesObjectApi);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  const server = kc.getCurrentCluster()?.server ?? "";

  let apiRequests = 0;
  const counted = <T>(p: Promise<T>): Promise<T> => {
    apiRequests += 1;
    return p;
  };

  type Health = { up: boolean; failures: number; timer?: NodeJS.Timeout };
  const health = new Map<string, Health>();
  /** Wraps a list call: the informer's cache is current only after a list succeeded. */
  const tracked = <T>(name: string, list: () => Promise<T>) => {
    const h: Health = { up: false, failures: 0 };
    health.set(name, h);
    return async () => {
      try {
        const result = await counted(list());
        h.up = true;
        h.failures = 0;
        setReachable(true, `watching ${server}`);
        return result;
      } catch (err) {
        h.up = false;
        throw err;
      }
    };
  };

  const soPath = `/apis/${SERVICE_OFFER_GROUP}/${SERVICE_OFFER_VERSION}/namespaces/${namespace}/${SERVICE_OFFER_PLURAL}`;
  const offersInformer = makeInformer<ServiceOfferObject & KubernetesObject>(
    kc,
    soPath,
    tracked("serviceoffers", () =>
      custom.listNamespacedCustomObject({
        group: SERVICE_OFFER_GROUP,
        version: SERVICE_OFFER_VERSION,
        namespace,
        plural: SERVICE_OFFER_PLURAL,
      }),
    ),
  );
  const routeSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  const routesInformer = makeInformer<Route>(
    kc,
    `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes`,
    tracked("httproutes", () =>
      custom.listNamespacedCustomObject({
        group: "gateway.networking.k8s.io",
        version: "v1",
        namespace,
        plural: "httproutes",
        labelSelector: routeSelector,
      }),
    ),
    routeSelector,
  );
  const servicesInformer = options.inCluster
    ? undefined
    : makeInformer(
        kc,
        "/api/v1/services",
        tracked("services", () => core.listServiceForAllNamespaces()),
      );
  const slicesInformer = options.inCluster
    ? undefined
    : makeInformer(
        kc,
        "/apis/discovery.k8s.io/v1/endpointslices",
        tracked("endpointslices", () => discovery.listEndpointSliceForAllNamespaces()),
      );

  type Watched = { informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>; health: Health };
  const watched: Watched[] = [
    { informer: offersInformer as unknown as Watched["informer"], health: health.get("serviceoffers")! },
    { informer: routesInformer as unknown as Watched["informer"], health: health.get("httproutes")! },
    ...(servicesInformer
      ? [{ informer: servicesInformer as unknown as Watched["informer"], health: health.get("services")! }]
      : []),
    ...(slicesInformer
      ? [{ informer: slicesInformer as unknown as Watched["informer"], health: health.get("endpointslices")! }]
      : []),
  ];

  /** Restarts an informer with a full relist (its cache may describe a cluster that is gone). */
  const restart = (w: Watched) => {
    (w.informer as unknown as { resourceVersion?: string }).resourceVersion = "";
    w.informer.start().catch(() => {});
  };

  let stopped = false;
  /** Whether start() has started the informers (before that, starting one again would run it twice). */
  let informersStarted = false;
  let reachable: { status: "True" | "False" | "Unknown"; reason: string; message: string; since: string } = {
    status: "Unknown",
    reason: "Connecting",
    message: `connecting to ${server}`,
    since: now(),
  };
  let crdInstalled = false;
  let lastSyncAt: string | null = null;
  let lastError: string | null = null;
  let driftRepairs = 0;
  let consecutiveFailures = 0;
  let notBefore = 0;
  let changeHandler: ((change: ClusterChange) => Promise<ChangeVerdict>) | undefined;
  const wakeListeners = new Set<() => void>();
  const wake = () => {
    for (const l of wakeListeners) l();
  };

  /** What Tollgate last applied per key (to tell its own writes from kubectl's). */
  const projected = new Map<string, { spec: string; generation: number | undefined }>();
  /** The verdict on the last cluster change per key. */
  const accepted = new Map<string, StatusCondition>();
  const pendingChanges = new Set<string>();
  const inFlightChanges = new Set<string>();

  const setReachable = (ok: boolean, message: string) => {
    const status = ok ? "True" : "False";
    if (reachable.status !== status) {
      log[ok ? "info" : "warn"](
        { server, message },
        ok ? "kubernetes: API server reachable" : "kubernetes: API server unreachable",
      );
      reachable = { status, reason: ok ? "Connected" : "Unreachable", message, since: now() };
    } else reachable = { ...reachable, message };
  };

  const noteFailure = (err: unknown) => {
    lastError = errorText(err);
    if (!isApiAnswer(err)) {
      setReachable(false, lastError);
      crdInstalled = false;
    }
    consecutiveFailures += 1;
    notBefore = Date.now() + Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(consecutiveFailures, 6));
  };

  for (const w of watched) {
    w.informer.on("error", (err: unknown) => {
      // A restart aborts the informer's previous request: that abort is not a failure.
      if (err instanceof Error && (err.name === "AbortError" || /aborted/i.test(err.message))) return;
      const h = w.health;
      h.up = false;
      if (stopped) return;
      h.failures += 1;
      if (!isApiAnswer(err)) setReachable(false, errorText(err));
      // A 404 (the CRD is gone) or a lost connection (the cluster may have been rebuilt): check the CRD again.
      if (!isApiAnswer(err) || statusOf(err) === 404) crdInstalled = false;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(h.failures, 7));
      clearTimeout(h.timer);
      h.timer = setTimeout(() => {
        if (!stopped) restart(w);
      }, delay);
      h.timer.unref?.();
      wake();
    });
  }

  const keyChanged = (obj: KubernetesObject) => {
    const name = obj.metadata?.name;
    if (!name) return;
    pendingChanges.add(name);
    wake();
  };
  offersInformer.on("add", keyChanged);
  offersInformer.on("update", keyChanged);
  offersInformer.on("delete", () => wake());
  routesInformer.on("delete", () => wake());
  routesInformer.on("update", () => wake());

  async function ensureCrd(): Promise<void> {
    if (crdInstalled) return;
    try {
      await counted(extensions.readCustomResourceDefinition({ name: SERVICE_OFFER_CRD_NAME }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await counted(
        objects.create(
          structuredClone(serviceOfferCrd) as unknown as KubernetesObject,
          undefined,
          undefined,
          FIELD_MANAGER,
        ),
      );
      log.info({ crd: SERVICE_OFFER_CRD_NAME }, "kubernetes: installed the ServiceOffer CRD");
      // The informer may have given up on the missing resource: start it again now. Not before start()
      // has started it: a second start leaves the first watch running, and its socket kept a stopped
      // server from exiting (SIGTERM took the 25 s shutdown timeout on a fresh cluster).
      const w = watched[0]!;
      if (informersStarted && !w.health.up) {
        clearTimeout(w.health.timer);
        restart(w);
      }
    }
    crdInstalled = true;
  }

  const applyObject = (body: KubernetesObject) =>
    counted(objects.patch(body, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));

  const applyStatus = (name: string, status: Record<string, unknown>) =>
    counted(
      custom.patchNamespacedCustomObjectStatus(
        {
          group: SERVICE_OFFER_GROUP,
          version: SERVICE_OFFER_VERSION,
          namespace,
          plural: SERVICE_OFFER_PLURAL,
          name,
          body: {
            apiVersion: `${SERVICE_OFFER_GROUP}/${SERVICE_OFFER_VERSION}`,
            kind: "ServiceOffer",
            metadata: { name, namespace },
            status,
          },
          fieldManager: FIELD_MANAGER,
          force: true,
        },
        setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
      ),
    );

  const removeFinalizer = async (so: ServiceOfferObject) => {
    const finalizers = (so.metadata.finalizers ?? []).filter((f) => f !== LEDGER_FINALIZER);
    await counted(
      custom.patchNamespacedCustomObject(
        {
          group: SERVICE_OFFER_GROUP,
          version: SERVICE_OFFER_VERSION,
          namespace,
          plural: SERVICE_OFFER_PLURAL,
          name: so.metadata.name,
          body: [
            { op: "test", path: "/metadata/resourceVersion", value: so.metadata.resourceVersion },
            { op: "replace", path: "/metadata/finalizers", value: finalizers },
          ],
          fieldManager: FIELD_MANAGER,
        },
        setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
      ),
    );
  };

  const acceptedCondition = (name: string, generation: number): StatusCondition =>
    accepted.get(name) ?? {
      type: "Accepted",
      status: "True",
      reason: "Projected",
      message: "mirrors the Tollgate ledger",
      lastTransitionTime: now(),
      observedGeneration: generation,
    };

  const setVerdict = (name: string, verdict: ChangeVerdict, generation: number) => {
    const previous = accepted.get(name);
    const status = verdict.accepted ? "True" : "False";
    accepted.set(name, {
      type: "Accepted",
      status,
      reason: verdict.accepted ? "Accepted" : verdict.reason,
      message: verdict.accepted ? "the spec was accepted into the ledger" : verdict.message,
      lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : now(),
      observedGeneration: generation,
    });
  };

  /** Hands kubectl's changes (adoption, edits, deletion) to the ledger, one key at a time. */
  async function processChange(name: string): Promise<boolean> {
    const so = offersInformer.get(name, namespace) as ServiceOfferObject | undefined;
    if (!so || !changeHandler) return false;
    const generation = so.metadata.generation ?? 0;
    const managed = so.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
    if (so.metadata.deletionTimestamp) {
      if (!(so.metadata.finalizers ?? []).includes(LEDGER_FINALIZER)) return false;
      const verdict = await changeHandler({ type: "delete", name });
      if (verdict.accepted) {
        await removeFinalizer(so);
        projected.delete(name);
        accepted.delete(name);
      } else log.warn({ offer: name, reason: verdict.reason }, "kubernetes: ledger refused the delete; finalizer kept");
      return true;
    }
    const spec = so.spec ?? {};
    const mine = projected.get(name);
    if (managed && mine && mine.spec === stableJson(spec)) return false;
    const lastVerdict = accepted.get(name);
    if (lastVerdict && lastVerdict.observedGeneration === generation && lastVerdict.status === "False") return false;
    if (!managed && !mine) {
      const verdict = await changeHandler({ type: "adopt", name, spec, generation });
      setVerdict(name, verdict, generation);
      if (!verdict.accepted) await applyStatus(name, { conditions: [accepted.get(name)] }).catch(noteFailure);
      wake();
      return true;
    }
    if (!mine) return false;
    const verdict = await changeHandler({ type: "edit", name, spec, generation });
    setVerdict(name, verdict, generation);
    // A refused edit: the resource goes back to the ledger's spec at the next sync, Accepted=False says why.
    if (!verdict.accepted) projected.set(name, { spec: "", generation });
    wake();
    return true;
  }

  async function processPendingChanges(): Promise<Set<string>> {
    const names = [...pendingChanges];
    pendingChanges.clear();
    const judged = new Set<string>();
    for (const name of names) {
      if (inFlightChanges.has(name)) continue;
      inFlightChanges.add(name);
      try {
        if (await processChange(name)) judged.add(name);
      } catch (err) {
        noteFailure(err);
        pendingChanges.add(name);
      } finally {
        inFlightChanges.delete(name);
      }
    }
    return judged;
  }

  async function syncOffer(d: DesiredOffer, gateway: { namespace: string; name: string } | null): Promise<void> {
    const { offer } = d;
    const desired = renderServiceOffer(offer, namespace);
    const desiredSpec = stableJson(desired.spec);
    let observed = offersInformer.get(offer.name, namespace) as ServiceOfferObject | undefined;
    const upToDate =
      observed &&
      !observed.metadata.deletionTimestamp &&
      covers(observed.spec ?? {}, desired.spec) &&
      observed.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE &&
      (observed.metadata.finalizers ?? []).includes(LEDGER_FINALIZER);
    if (observed?.metadata.deletionTimestamp) return;
    if (!upToDate) {
      if (observed && projected.get(offer.name)?.spec === desiredSpec) driftRepairs += 1;
      if (!observed && projected.has(offer.name)) driftRepairs += 1;
      observed = (await applyObject(desired as unknown as KubernetesObject)) as unknown as ServiceOfferObject;
    }
    if (!observed) return;
    projected.set(offer.name, { spec: desiredSpec, generation: observed.metadata.generation });
    const generation = observed.metadata.generation ?? 1;
    const conditions = renderStatusConditions(d.conditions, generation, acceptedCondition(offer.name, generation));
    const status = { observedGeneration: generation, endpoint: offer.path, conditions };
    const withoutTimes = (v: unknown) =>
      JSON.parse(
        JSON.stringify(v)
          .replace(/"lastTransitionTime":"[^"]*",?/g, "")
          .replace(/,}/g, "}"),
      );
    if (!covers(withoutTimes(observed.status ?? {}), withoutTimes(status))) await applyStatus(offer.name, status);
    const uid = observed.metadata.uid;
    if (!uid) return;
    const route = renderHttpRoute({ offer, namespace, owner: { name: offer.name, uid }, gateway, service });
    const observedRoute = routesInformer.get(route.metadata.name, namespace);
    const routeOk =
      observedRoute &&
      covers(observedRoute.spec, route.spec) &&
      observedRoute.metadata?.ownerReferences?.[0]?.uid === uid;
    if (!routeOk) {
      if (projected.has(`route:${offer.name}`)) driftRepairs += 1;
      await applyObject(route as unknown as KubernetesObject);
      projected.set(`route:${offer.name}`, { spec: "", generation: undefined });
    }
  }

  async function removeOffer(so: ServiceOfferObject): Promise<void> {
    const name = so.metadata.name;
    if ((so.metadata.finalizers ?? []).includes(LEDGER_FINALIZER)) await removeFinalizer(so);
    if (!so.metadata.deletionTimestamp) {
      try {
        await counted(
          custom.deleteNamespacedCustomObject({
            group: SERVICE_OFFER_GROUP,
            version: SERVICE_OFFER_VERSION,
            namespace,
            plural: SERVICE_OFFER_PLURAL,
            name,
            propagationPolicy: "Background",
          }),
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    projected.delete(name);
    projected.delete(`route:${name}`);
    accepted.delete(name);
  }

  return {
    async start() {
      stopped = false;
      try {
        await ensureCrd();
        setReachable(true, `connected to ${server}`);
      } catch (err) {
        noteFailure(err);
        log.warn({ err: lastError }, "kubernetes: could not reach the API server at start; offers keep serving");
      }
      for (const w of watched) {
        w.informer.start().catch(() => {});
      }
      informersStarted = true;
    },
    async stop() {
      stopped = true;
      informersStarted = false;
      for (const w of watched) {
        clearTimeout(w.health.timer);
        await w.informer.stop().catch(() => {});
      }
    },
    async sync(desired, { gateway }) {
      if (Date.now() < notBefore) return;
      try {
        await ensureCrd();
        if (!watched[0]!.health.up || !watched[1]!.health.up) {
          // Without a current view of the cluster, writes would be blind: wait for the informers.
          return;
        }
        // kubectl's changes first: the desired state passed in predates the verdicts, so those keys wait a sync.
        const judged = pendingChanges.size > 0 ? await processPendingChanges() : new Set<string>();
        const live = new Set<string>();
        const todo: DesiredOffer[] = [];
        for (const d of desired) {
          if (d.offer.state === "deleted") continue;
          live.add(d.offer.name);
          if (!judged.has(d.offer.name)) todo.push(d);
        }
        // Keys are independent: a bounded pool, so one slow write never holds the others back.
        let next = 0;
        const worker = async () => {
          while (next < todo.length) {
            const d = todo[next++]!;
            await syncOffer(d, gateway);
          }
        };
        await Promise.all(Array.from({ length: Math.min(SYNC_CONCURRENCY, todo.length) }, worker));
        for (const obj of offersInformer.list(namespace) as ServiceOfferObject[]) {
          const managed = obj.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
          const name = obj.metadata.name;
          if (managed && !live.has(name) && !pendingChanges.has(name) && !judged.has(name)) await removeOffer(obj);
        }
        consecutiveFailures = 0;
        lastError = null;
        lastSyncAt = now();
        setReachable(true, `synced with ${server}`);
      } catch (err) {
        noteFailure(err);
        log.warn({ err: lastError }, "kubernetes: sync failed; retrying with backoff");
      }
    },
    onClusterChange(handler) {
      changeHandler = handler;
    },
    onWakeRequest(listener) {
      wakeListeners.add(listener);
    },
    resolveUpstream(url) {
      const cluster = parseClusterUpstream(url);
      if (!cluster) return url;
      if (options.inCluster) return resolveThroughServiceDns(cluster);
      const svc = servicesInformer?.get(cluster.service, cluster.namespace) as
        | { spec?: { ports?: { name?: string; port: number }[] } }
        | undefined;
      return resolveThroughEndpointSlices(cluster, svc, (slicesInformer?.list() ?? []) as never[]);
    },
    status() {
      return {
        driver: "kubernetes",
        server,
        namespace,
        conditions: [
          {
            type: "ClusterReachable",
            status: reachable.status,
            reason: reachable.reason,
            message: reachable.message,
            lastTransitionTime: reachable.since,
          },
          {
            type: "CRDInstalled",
            status: crdInstalled ? "True" : "Unknown",
            reason: crdInstalled ? "Installed" : "NotChecked",
            message: crdInstalled ? `${SERVICE_OFFER_CRD_NAME} is installed` : "not verified since the last connection",
            lastTransitionTime: reachable.since,
          },
        ],
        crdInstalled,
        managedOffers: (offersInformer.list(namespace) as ServiceOfferObject[]).filter(
          (o) => o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE,
        ).length,
        lastSyncAt,
        lastError,
        driftRepairs,
        apiRequests,
      };
    },
  };
}
