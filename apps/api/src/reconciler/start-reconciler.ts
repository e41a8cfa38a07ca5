import {
  type ChainRuntime,
  diffRoutes,
  type GateObservation,
  isEmptyDiff,
  type ModelReadyInput,
  type OfferRepository,
  type RouteTable,
  reconcileOffers,
  type UpstreamObservation,
} from "@tollgate/core";
import type { IdentityRecord } from "@tollgate/core/identity/index";
import { observeReconcileDuration } from "../metrics/process-metrics.ts";
import { type ModelObservation, offerModelObservation } from "../models/offer-model-observation.ts";
import { createPaymentGateChecker } from "./check-payment-gate.ts";
import { probeUpstream } from "./probe-upstream.ts";

/** The log calls the reconciler makes (a pino logger fits). */
export interface ReconcilerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Counters for /metrics and status pages. */
export interface ReconcilerStats {
  runs: number;
  failures: number;
  consecutiveFailures: number;
  lastRunAt: string | null;
  lastDurationMs: number | null;
  lastError: string | null;
}

export interface Reconciler {
  /** Asks for a run soon; wakes during a run coalesce into exactly one more run. */
  wake(): void;
  /** Runs (or joins the run queued after the current one) and resolves when it has finished. */
  runOnce(): Promise<void>;
  stats(): ReconcilerStats;
  /** Stops the loop and waits for a run in progress. */
  stop(): Promise<void>;
}

/** A `demo://<name>` upstream resolved to its current loopback URL; other URLs pass through. */
export type UpstreamResolver = (url: string) => string | null;

const identity: UpstreamResolver = (url) => (url.startsWith("demo://") ? null : url);

/**
 * The level-triggered offer reconciler with the local driver (SPEC §2): reads the live offers from the
 * ledger, probes upstreams and payment gates, computes conditions and routes with core's pure
 * `reconcileOffers`, publishes the routes into the in-memory table and writes conditions back. It runs at
 * start (this is the whole of "resume"), on `wake()`, on a periodic resync, and at the next drain end.
 * Runs never overlap; failures are logged, counted and retried with backoff; it never exits the process.
 */
export function startReconciler({
  repo,
  chains,
  routeTable,
  log,
  clock = () => new Date(),
  resolveUpstream = identity,
  resyncMs = 5_000,
  probeTimeoutMs = 2_000,
  gateCacheMs = 3_000,
  readIdentities,
  observeModels,
  onRun,
}: {
  repo: OfferRepository;
  chains?: ChainRuntime | undefined;
  routeTable: RouteTable;
  log: ReconcilerLog;
  clock?: () => Date;
  resolveUpstream?: UpstreamResolver;
  resyncMs?: number;
  probeTimeoutMs?: number;
  gateCacheMs?: number;
  /** ERC-8004 identities by chain name, read at every run for the `Registered` condition. */
  readIdentities?: () => Promise<Map<string, IdentityRecord>>;
  /** Ledger models by name (provider URL and `ModelReady`): offers that sell one are observed through it. */
  observeModels?: () => Map<string, ModelObservation>;
  /** Called after every successful run (conditions written): discovery caches and the registrar listen. */
  onRun?: () => void;
}): Reconciler {
  const gates = createPaymentGateChecker({ chains, ttlMs: gateCacheMs, now: () => clock().getTime() });
  const stats: ReconcilerStats = {
    runs: 0,
    failures: 0,
    consecutiveFailures: 0,
    lastRunAt: null,
    lastDurationMs: null,
    lastError: null,
  };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let nextWakeAt: Date | null = null;

  async function reconcile(): Promise<void> {
    const offers = (await repo.list()).map((o) => o.offer);
    const upstreams = new Map<string, UpstreamObservation>();
    const chainNames = [...new Set(offers.map((o) => o.payment.chain))];
    const gateList = await Promise.all(chainNames.map((name) => gates.get(name)));
    const gateMap = new Map<string, GateObservation>(
      chainNames.map((name, i) => [name, gateList[i] as GateObservation]),
    );
    const ledgerModels = observeModels?.() ?? new Map<string, ModelObservation>();
    const models = new Map<string, ModelReadyInput>();
    await Promise.all(
      offers.map(async (offer) => {
        const sold = offerModelObservation(offer, ledgerModels);
        if (sold) {
          upstreams.set(offer.id, sold.upstream);
          models.set(offer.id, sold.model);
          return;
        }
        upstreams.set(
          offer.id,
          await probeUpstream({
            url: resolveUpstream(offer.upstreamUrl),
            healthPath: offer.healthPath,
            inference: offer.type === "inference",
            timeoutMs: probeTimeoutMs,
          }),
        );
      }),
    );
    // Decide at the time the observations were made, then publish before writing conditions back.
    const identities = readIdentities ? await readIdentities() : undefined;
    const plan = reconcileOffers({ offers, upstreams, gates: gateMap, identities, models, now: clock() });
    const diff = diffRoutes(plan.routes, routeTable.list());
    if (!isEmptyDiff(diff)) {
      routeTable.replace(plan.routes);
      log.info(
        {
          added: diff.add.map((r) => r.path),
          removed: diff.remove.map((r) => r.path),
          changed: diff.change.map((c) => c.to.path),
        },
        "reconciler: routes updated",
      );
    }
    nextWakeAt = plan.nextWakeAt;
    const written = clock();
    for (const [offerId, conditions] of plan.conditions) await repo.saveConditions(offerId, conditions, written);
  }

  function scheduleTimer(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void schedule(), Math.max(0, delayMs));
    timer.unref?.();
  }

  async function execute(): Promise<void> {
    const started = Date.now();
    let delay = resyncMs;
    try {
      await reconcile();
      onRun?.();
      stats.consecutiveFailures = 0;
      stats.lastError = null;
      if (nextWakeAt) delay = Math.min(delay, nextWakeAt.getTime() - clock().getTime() + 5);
    } catch (error) {
      stats.failures += 1;
      stats.consecutiveFailures += 1;
      stats.lastError = error instanceof Error ? error.message : String(error);
      delay = Math.min(30_000, 500 * 2 ** Math.min(stats.consecutiveFailures, 6));
      log.error({ err: error, retryInMs: delay, failures: stats.consecutiveFailures }, "reconciler: run failed");
    } finally {
      stats.runs += 1;
      stats.lastRunAt = new Date().toISOString();
      stats.lastDurationMs = Date.now() - started;
      observeReconcileDuration(stats.lastDurationMs / 1000);
      scheduleTimer(delay);
    }
  }

  function schedule(): Promise<void> {
    if (stopped) return inFlight ?? Promise.resolve();
    if (!inFlight) {
      inFlight = execute().finally(() => {
        inFlight = null;
      });
      return inFlight;
    }
    queued ??= inFlight.then(() => {
      queued = null;
      return schedule();
    });
    return queued;
  }

  void schedule();
  return {
    wake: () => void schedule(),
    runOnce: () => schedule(),
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
