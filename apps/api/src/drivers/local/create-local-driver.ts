import {
  createConcurrencyLimiter,
  type OfferDriver,
  type OfferWorkload,
  type RouteTable,
  type UpstreamObservation,
} from "@tollgate/core";
import { createInMemoryRouteTable } from "./in-memory-route-table.ts";
import { probeUpstream } from "./probe-upstream.ts";

/** A `demo://<name>` upstream resolved to its current loopback URL; other URLs pass through. */
export type UpstreamResolver = (url: string) => string | null;

const passThrough: UpstreamResolver = (url) => (url.startsWith("demo://") ? null : url);

/** One distinct upstream (base URL + health path, + the model list for inference), shared by every key on it. */
interface WatchedUpstream {
  id: string;
  url: string | null;
  healthPath: string;
  inference: boolean;
  keys: Set<string>;
  observation: UpstreamObservation | undefined;
  /** Set when the last probe threw (not an unhealthy answer: the probe itself failed). */
  error: unknown;
  probing: Promise<void> | null;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface LocalDriverStats {
  upstreams: number;
  probes: number;
  probeErrors: number;
}

/**
 * The `local` driver (SPEC §2): the server itself routes `/services/<name>/...` to the upstream. Routes live
 * in an in-memory table the gateway reads, changed one key at a time. Upstream health is probed once per
 * distinct upstream, whatever the number of offers on it, each on its own jittered interval, with at most
 * `concurrency` probes at a time; a changed answer (or a probe that throws) is streamed as the keys behind it.
 */
export function createLocalDriver({
  routes = createInMemoryRouteTable(),
  resolveUpstream = passThrough,
  probe = probeUpstream,
  intervalMs = 10_000,
  jitter = 0.2,
  concurrency = 16,
  timeoutMs = 2_000,
  random = Math.random,
}: {
  routes?: RouteTable;
  resolveUpstream?: UpstreamResolver;
  probe?: typeof probeUpstream;
  /** Mean time between two probes of one upstream. */
  intervalMs?: number;
  /** Each interval is drawn from `intervalMs × (1 ± jitter)`, so upstreams do not probe in lockstep. */
  jitter?: number;
  concurrency?: number;
  timeoutMs?: number;
  random?: () => number;
} = {}): OfferDriver & { routes: RouteTable; stats(): LocalDriverStats } {
  const upstreams = new Map<string, WatchedUpstream>();
  const upstreamOfKey = new Map<string, WatchedUpstream>();
  const listeners = new Set<(key: string) => void>();
  const limiter = createConcurrencyLimiter(concurrency);
  const counters = { probes: 0, probeErrors: 0 };
  let stopped = false;

  function upstreamId(workload: OfferWorkload, url: string | null): string {
    return `${url ?? workload.upstreamUrl}${workload.healthPath}${workload.inference ? " +models" : ""}`;
  }

  function attach(key: string, workload: OfferWorkload): WatchedUpstream {
    const url = resolveUpstream(workload.upstreamUrl);
    const id = upstreamId(workload, url);
    const current = upstreamOfKey.get(key);
    if (current?.id === id) return current;
    if (current) detach(key);
    let upstream = upstreams.get(id);
    if (!upstream) {
      upstream = {
        id,
        url,
        healthPath: workload.healthPath,
        inference: workload.inference,
        keys: new Set(),
        observation: undefined,
        error: undefined,
        probing: null,
        timer: undefined,
      };
      upstreams.set(id, upstream);
    }
    upstream.keys.add(key);
    upstreamOfKey.set(key, upstream);
    return upstream;
  }

  function detach(key: string): void {
    const upstream = upstreamOfKey.get(key);
    if (!upstream) return;
    upstreamOfKey.delete(key);
    upstream.keys.delete(key);
    if (upstream.keys.size === 0) {
      clearTimeout(upstream.timer);
      upstreams.delete(upstream.id);
    }
  }

  function scheduleNext(upstream: WatchedUpstream): void {
    if (stopped || upstreams.get(upstream.id) !== upstream) return;
    clearTimeout(upstream.timer);
    const delay = intervalMs * (1 - jitter + 2 * jitter * random());
    upstream.timer = setTimeout(() => void probeNow(upstream), delay);
    upstream.timer.unref?.();
  }

  async function runProbe(upstream: WatchedUpstream): Promise<void> {
    const first = upstream.observation === undefined && upstream.error === undefined;
    const before =
      upstream.error === undefined ? JSON.stringify(upstream.observation) : `error:${String(upstream.error)}`;
    counters.probes += 1;
    try {
      upstream.observation = await probe({
        url: upstream.url,
        healthPath: upstream.healthPath,
        inference: upstream.inference,
        timeoutMs,
      });
      upstream.error = undefined;
    } catch (error) {
      counters.probeErrors += 1;
      upstream.error = error instanceof Error ? error : new Error(String(error));
    }
    const after =
      upstream.error === undefined ? JSON.stringify(upstream.observation) : `error:${String(upstream.error)}`;
    // The first answer goes to whoever is waiting in `observe`; later changes are streamed.
    if (!first && before !== after) for (const key of upstream.keys) for (const listener of listeners) listener(key);
  }

  function probeNow(upstream: WatchedUpstream): Promise<void> {
    if (!upstream.probing) {
      clearTimeout(upstream.timer);
      upstream.probing = limiter
        .run(() => runProbe(upstream))
        .finally(() => {
          upstream.probing = null;
          scheduleNext(upstream);
        });
    }
    return upstream.probing;
  }

  return {
    name: "local",
    routes,
    async observe(key, workload, options = {}) {
      const upstream = attach(key, workload);
      // Never observed, or the last probe threw (the caller is retrying): look now.
      const unknown = upstream.observation === undefined || upstream.error !== undefined;
      if (unknown || options.refresh) await probeNow(upstream);
      if (upstream.error !== undefined) throw upstream.error;
      return {
        upstream: upstream.observation ?? {
          url: null,
          health: { ok: false, reason: "Unreachable", message: "not probed" },
        },
        route: routes.get(key),
      };
    },
    async apply(key, desired) {
      attach(key, desired.workload);
      const current = routes.get(key);
      if (!desired.route) {
        if (current) routes.delete(key);
        return;
      }
      if (!current || JSON.stringify(current) !== JSON.stringify(desired.route)) routes.set(desired.route);
    },
    async remove(key) {
      routes.delete(key);
      detach(key);
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      for (const upstream of upstreams.values()) clearTimeout(upstream.timer);
      await Promise.all([...upstreams.values()].map((u) => u.probing?.catch(() => {})));
    },
    stats: () => ({ upstreams: upstreams.size, ...counters }),
  };
}
