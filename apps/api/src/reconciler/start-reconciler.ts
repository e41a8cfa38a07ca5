import {
  buildPublishedRoute,
  type ChainRuntime,
  computeOfferConditions,
  createWorkQueue,
  drainEndOf,
  type EventBus,
  findPathHolders,
  isDraining,
  type Offer,
  type OfferDriver,
  type OfferRepository,
  type OfferWorkload,
  type PublishedRoute,
  subscribeTo,
} from "@tollgate/core";
import type { IdentityRecord } from "@tollgate/core/identity/index";
import { type ModelObservation, offerModelObservation } from "../models/offer-model-observation.ts";
import { observeReconcileDuration } from "../metrics/process-metrics.ts";
import { createGateWatcher } from "./check-payment-gate.ts";
import { conditionsDiffer, createConditionWriter, mergeConditions } from "./create-condition-writer.ts";
import { createOfferInformer, type OfferInformer } from "./create-offer-informer.ts";

/** The log calls the reconciler makes (a pino logger fits). */
export interface ReconcilerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Counters for /metrics, status pages and tests. */
export interface ReconcilerStats {
  /** Full passes (start, `runOnce`, a replaced ledger). */
  runs: number;
  /** Reconciles of one offer. */
  reconciles: number;
  /** Reconciles that threw (each is retried with backoff). */
  failures: number;
  consecutiveFailures: number;
  lastRunAt: string | null;
  lastDurationMs: number | null;
  lastError: string | null;
  /** Condition rows written, and the batches they were written in. */
  conditionRowsWritten: number;
  conditionBatches: number;
  queue: { depth: number; active: number; delayed: number };
}

export interface Reconciler {
  /** Asks for a full pass soon (everything may have changed); wakes during a pass coalesce into one more. */
  wake(): void;
  /** Runs a full pass (or joins the one queued after the current one) and resolves when it has finished. */
  runOnce(): Promise<void>;
  /** Reconciles one offer now (re-reading it and, with `refresh`, probing its upstream) and waits for it. */
  reconcileNow(offerId: string, options?: { refresh?: boolean }): Promise<void>;
  /** Waits until every offer changed so far (per `offer.changed`) has been reconciled into the informer. */
  settle(): Promise<void>;
  /** Resolves once the informer has loaded the ledger's offers (the first pass has read them). */
  loaded: Promise<void>;
  /** Resolves once the first pass has reconciled every offer (their routes are published), or failed. */
  synced: Promise<void>;
  /** The informer's cached offers (live ones, with the conditions last written). */
  informer: OfferInformer;
  stats(): ReconcilerStats;
  /** Reloads every offer from the ledger and reconciles them all (a follower that became the leader). */
  resync(): Promise<void>;
  /** Stops the loops and waits for the reconciles in progress. */
  stop(): Promise<void>;
}

/**
 * The offer reconciler (SPEC §2, "per offer, like a Kubernetes controller"). An informer caches the live
 * offers; a keyed work queue reconciles one offer at a time per key with bounded concurrency, retrying a
 * failing offer with backoff while the others go on. Reconciling an offer reads its observed state from the
 * driver, decides its conditions and route with core's pure `computeOfferConditions`, applies the route
 * through the driver, and queues the conditions for a batched write when they changed. What wakes an offer:
 * its `offer.changed` event, its upstream's observed state changing (the driver's watch), its chain's payment
 * gate or identity changing, its drain ending (a timer per offer), a path it shares changing hands, and the
 * periodic relist that catches anything missed. Runs at start: this is the whole of "resume".
 */
export function startReconciler({
  repo,
  driver,
  chains,
  events,
  log,
  clock = () => new Date(),
  concurrency = 8,
  relistMs = 30_000,
  gateIntervalMs = 5_000,
  retryBaseMs = 500,
  retryMaxMs = 60_000,
  readIdentities,
  observeModels,
  writesConditions = () => true,
}: {
  repo: OfferRepository;
  driver: OfferDriver;
  chains?: ChainRuntime | undefined;
  /** The bus: ledger changes arrive here, condition changes are published here. */
  events: EventBus;
  log: ReconcilerLog;
  clock?: () => Date;
  concurrency?: number;
  relistMs?: number;
  gateIntervalMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** ERC-8004 identities by chain (the `Registered` condition); none when not given. */
  readIdentities?: () => Promise<Map<string, IdentityRecord>>;
  /**
   * Ledger models by name (provider URL and `ModelReady`, kept by the model monitor): an inference offer that
   * sells one is observed through it instead of the driver's probe. A change arrives as `models.changed`.
   */
  observeModels?: () => Map<string, ModelObservation>;
  /**
   * Whether this server writes conditions to the ledger (SPEC §15: only the leader of several replicas does).
   * A follower keeps what it observed in its own informer, so its routes and documents still follow it.
   */
  writesConditions?: () => boolean;
}): Reconciler {
  const informer = createOfferInformer({ repo });
  /** Offers changed in the ledger (per `offer.changed`) that the informer has not read yet, and those being read. */
  const stale = new Set<string>();
  const refreshing = new Map<string, Promise<unknown>>();
  const refreshProbe = new Set<string>();
  const drainTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Every route this reconciler has published, by offer id (for the route log). */
  const published = new Map<string, PublishedRoute>();
  let identities = new Map<string, IdentityRecord>();
  let loaded = false;
  let markLoaded: () => void = () => {};
  const loadedOnce = new Promise<void>((resolve) => {
    markLoaded = resolve;
  });
  let stopped = false;
  const stats = {
    runs: 0,
    reconciles: 0,
    failures: 0,
    consecutiveFailures: 0,
    lastRunAt: null as string | null,
    lastDurationMs: null as number | null,
    lastError: null as string | null,
  };

  const routeLog = { added: 0, removed: 0, changed: 0, paths: [] as string[], timer: undefined as unknown };
  function noteRoute(kind: "added" | "removed" | "changed", path: string): void {
    routeLog[kind] += 1;
    if (routeLog.paths.length < 10) routeLog.paths.push(path);
    if (routeLog.timer) return;
    const timer = setTimeout(() => {
      log.info(
        { added: routeLog.added, removed: routeLog.removed, changed: routeLog.changed, paths: routeLog.paths },
        "reconciler: routes updated",
      );
      Object.assign(routeLog, { added: 0, removed: 0, changed: 0, paths: [], timer: undefined });
    }, 100);
    timer.unref?.();
    routeLog.timer = timer;
  }

  const writer = createConditionWriter({
    repo,
    onWritten(writes, at) {
      for (const { offerId, conditions } of writes) {
        const entry = informer.get(offerId);
        if (entry) informer.setConditions(offerId, mergeConditions(entry.conditions, conditions, at));
        events.publish({ type: "conditions", offerId, at: at.toISOString() });
      }
    },
    onFailed(writes, error) {
      log.error({ err: error, offers: writes.length }, "reconciler: writing conditions failed; retrying");
      for (const { offerId } of writes) queue.addAfter(offerId, retryBaseMs);
    },
  });

  const gates = createGateWatcher({
    chains,
    intervalMs: gateIntervalMs,
    onChange: (chain) => enqueueAll(informer.idsOnChain(chain)),
  });

  const queue = createWorkQueue({
    concurrency,
    baseDelayMs: retryBaseMs,
    maxDelayMs: retryMaxMs,
    process: reconcileOffer,
    onError(key, error, retryInMs) {
      stats.failures += 1;
      stats.lastError = error instanceof Error ? error.message : String(error);
      log.warn(
        { err: error, offerId: key, retryInMs, failures: queue.failuresOf(key) },
        "reconciler: reconcile failed; retrying",
      );
    },
  });

  async function enqueueAll(ids: Iterable<string>): Promise<void> {
    await Promise.all([...ids].map((id) => queue.add(id)));
  }

  function workloadOf(offer: Offer): OfferWorkload {
    return { upstreamUrl: offer.upstreamUrl, healthPath: offer.healthPath, inference: offer.type === "inference" };
  }

  /** Who else must be looked at when an offer's path or serving state changed: the offers sharing its paths. */
  function peersOf(id: string, ...offers: (Offer | undefined)[]): string[] {
    const paths = new Set(offers.flatMap((o) => (o ? [o.path] : [])));
    return [...paths].flatMap((path) => informer.idsOnPath(path)).filter((peer) => peer !== id);
  }

  function setDrainTimer(offer: Offer, now: Date): void {
    clearTimeout(drainTimers.get(offer.id));
    drainTimers.delete(offer.id);
    const end = drainEndOf(offer);
    if (!end || !isDraining(offer, now)) return;
    const timer = setTimeout(
      () => {
        drainTimers.delete(offer.id);
        // The drain end unpublishes this offer, and may hand its path to a newer offer.
        void enqueueAll([offer.id, ...peersOf(offer.id, offer)]);
      },
      end.getTime() - now.getTime() + 5,
    );
    timer.unref?.();
    drainTimers.set(offer.id, timer);
  }

  /** An offer left the ledger's live set (deleted, or gone with a replaced ledger): the driver forgets it. */
  async function forget(id: string): Promise<void> {
    clearTimeout(drainTimers.get(id));
    drainTimers.delete(id);
    writer.drop(id);
    await driver.remove(id);
    const route = published.get(id);
    if (route) noteRoute("removed", route.path);
    published.delete(id);
    queue.forget(id);
    // Readers of the informer (discovery) see the offer gone.
    events.publish({ type: "conditions", offerId: id, at: clock().toISOString() });
  }

  async function reconcileOffer(id: string): Promise<void> {
    stats.reconciles += 1;
    if (stale.delete(id)) {
      const reading = informer.refresh(id);
      refreshing.set(id, reading);
      const { before, after } = await reading.finally(() => refreshing.delete(id));
      const servingChanged =
        !before || !after || before.offer.path !== after.offer.path || before.offer.state !== after.offer.state;
      if (servingChanged) void enqueueAll(peersOf(id, before?.offer, after?.offer ?? undefined));
    }
    const entry = informer.get(id);
    if (!entry) return forget(id);
    const { offer } = entry;
    const workload = workloadOf(offer);
    const sold = observeModels ? offerModelObservation(offer, observeModels()) : null;
    const upstream = sold
      ? sold.upstream
      : (await driver.observe(id, workload, { refresh: refreshProbe.delete(id) })).upstream;
    const gate = await gates.get(offer.payment.chain);
    const now = clock();
    const result = computeOfferConditions({
      offer,
      upstream,
      model: sold?.model,
      gate,
      pathHolder: findPathHolders(informer.onPath(offer.path), now).get(offer.path),
      identity: identities.get(offer.payment.chain) ?? null,
      now,
    });
    let route: PublishedRoute | null = null;
    // An offer selling a ledger model whose provider is down stays routed as unavailable: 503, never charged.
    const waiting = sold !== null && result.conditions.some((c) => c.reason === "WaitingForUpstream");
    if ((result.publish || waiting) && gate.status === "ready" && upstream.url) {
      route = buildPublishedRoute({
        offer,
        chain: gate.chain,
        upstreamUrl: upstream.url,
        sellsLedgerModel: sold !== null,
        available: !waiting,
        now,
      });
    }
    await driver.apply(id, { workload, route });
    const before = published.get(id);
    if (!before && route) noteRoute("added", route.path);
    else if (before && !route) noteRoute("removed", before.path);
    else if (before && route && JSON.stringify(before) !== JSON.stringify(route)) noteRoute("changed", route.path);
    if (route) published.set(id, route);
    else published.delete(id);
    setDrainTimer(offer, now);
    if (!conditionsDiffer(entry.conditions, result.conditions)) return;
    if (writesConditions()) return writer.add(id, result.conditions);
    informer.setConditions(id, mergeConditions(entry.conditions, result.conditions, now));
    events.publish({ type: "conditions", offerId: id, at: now.toISOString() });
  }

  async function loadIdentities(): Promise<void> {
    if (!readIdentities) return;
    const next = await readIdentities();
    const changed = new Set<string>();
    for (const chain of new Set([...identities.keys(), ...next.keys()])) {
      if (JSON.stringify(identities.get(chain)) !== JSON.stringify(next.get(chain))) changed.add(chain);
    }
    identities = next;
    for (const chain of changed) void enqueueAll(informer.idsOnChain(chain));
  }

  /** A full pass: (re)load the offers, reconcile every one, write what changed. */
  async function pass(): Promise<void> {
    const started = Date.now();
    try {
      const before = new Set(informer.ids());
      if (!loaded) {
        await informer.load();
        loaded = true;
        markLoaded();
      } else await informer.relist();
      await loadIdentities();
      // Offers that left the cache (deleted, or gone with a replaced ledger) are removed from the driver too.
      await enqueueAll(new Set([...before, ...informer.ids()]));
      await writer.flushAll();
      stats.consecutiveFailures = 0;
    } catch (error) {
      stats.consecutiveFailures += 1;
      stats.lastError = error instanceof Error ? error.message : String(error);
      log.error({ err: error }, "reconciler: pass failed");
      throw error;
    } finally {
      stats.runs += 1;
      stats.lastRunAt = new Date().toISOString();
      stats.lastDurationMs = Date.now() - started;
      observeReconcileDuration(stats.lastDurationMs / 1000);
    }
  }

  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  function schedule(): Promise<void> {
    if (stopped) return inFlight ?? Promise.resolve();
    if (!inFlight) {
      inFlight = pass().finally(() => {
        inFlight = null;
      });
      return inFlight;
    }
    queued ??= inFlight
      .catch(() => {})
      .then(() => {
        queued = null;
        return schedule();
      });
    return queued;
  }

  /** The periodic relist: only offers whose row changed since the cache saw it are reconciled. */
  async function relist(): Promise<void> {
    if (inFlight || !loaded) return;
    try {
      const changed = await informer.relist();
      await loadIdentities();
      void enqueueAll(changed);
    } catch (error) {
      log.warn({ err: error }, "reconciler: relist failed");
    }
  }

  const unsubscribe = [
    driver.watch((id) => void queue.add(id)),
    subscribeTo(events, ["offer.changed"], (event) => {
      if (event.offerId === null) return void schedule().catch(() => {});
      stale.add(event.offerId);
      void queue.add(event.offerId);
    }),
    subscribeTo(events, ["identity.changed"], () => void loadIdentities().catch(() => {})),
    subscribeTo(events, ["models.changed"], () => {
      const selling = informer.list().filter((e) => e.offer.upstreamUrl.startsWith("model://"));
      void enqueueAll(selling.map((e) => e.offer.id));
    }),
    subscribeTo(events, ["settings.changed"], () => void gates.recheckAll()),
    subscribeTo(events, ["ledger.replaced"], () => {
      loaded = false;
      void schedule().catch(() => {});
    }),
  ];
  const relistTimer = setInterval(() => void relist(), relistMs);
  relistTimer.unref?.();
  gates.start();
  const first = schedule();
  first.catch(() => {
    // Retried by the periodic relist path: a failed first pass loads again on the next schedule.
    setTimeout(() => void schedule().catch(() => {}), retryBaseMs).unref?.();
  });

  return {
    wake: () => void schedule().catch(() => {}),
    runOnce: () => schedule(),
    async reconcileNow(offerId, options = {}) {
      // `offers register` just changed the identity: decide with the row as it is now.
      await loadIdentities();
      stale.add(offerId);
      if (options.refresh) refreshProbe.add(offerId);
      await queue.add(offerId);
      await writer.flushAll();
    },
    async settle() {
      await Promise.all([
        ...[...stale].map((id) => queue.add(id)),
        ...[...refreshing.values()].map((p) => p.catch(() => {})),
      ]);
    },
    loaded: loadedOnce,
    synced: first.catch(() => {}),
    informer,
    resync() {
      loaded = false;
      return schedule();
    },
    stats: () => {
      const writes = writer.stats();
      const q = queue.stats();
      return {
        ...stats,
        conditionRowsWritten: writes.rowsWritten,
        conditionBatches: writes.batches,
        queue: { depth: q.depth, active: q.active, delayed: q.delayed },
      };
    },
    async stop() {
      stopped = true;
      for (const off of unsubscribe) off();
      clearInterval(relistTimer);
      gates.stop();
      for (const timer of drainTimers.values()) clearTimeout(timer);
      await inFlight?.catch(() => {});
      await queue.stop();
      await writer.flushAll();
    },
  };
}
