import { ApiException, CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from "@kubernetes/client-node";
import type { LeadershipSource } from "@tollgate/core/cluster/replica-membership";

/** The Lease every Tollgate replica of one installation competes for, in Tollgate's namespace. */
export const LEADER_LEASE_NAME = "tollgate-leader";

/**
 * Timing of the election (SPEC §15: leadership moves within 10 s of the leader's death). The leader renews
 * every `retryMs`; it stops leading when no renewal succeeded for `renewDeadlineMs`, which is shorter than the
 * lease, so it has stepped down before anyone may take over. Another replica takes over once it has seen the
 * Lease unchanged for `leaseDurationSeconds` (measured on its own clock from when it saw the last change, so
 * clock skew between nodes does not matter): after a kill -9 that is at most duration + 2 × retry ≈ 7 s.
 */
export const leaseTiming = { leaseDurationSeconds: 5, retryMs: 1_000, renewDeadlineMs: 3_500, requestTimeoutMs: 3_000 };

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export interface LeaseElection extends LeadershipSource {
  /** Leaves the election; a leader hands the Lease back (empty holder) so the next one need not wait. */
  stop(): Promise<void>;
}

const codeOf = (err: unknown): number | undefined => (err instanceof ApiException ? err.code : undefined);

/**
 * Leader election through a `coordination.k8s.io/v1` Lease (with TOLLGATE_DRIVER=kubernetes): GET the Lease,
 * then create it, renew it (holder = this replica) or take over an expired one with a PUT carrying the
 * resourceVersion read, so of two replicas writing at once one gets 409 Conflict and stays a follower.
 * Resolves after the first attempt, so a lone replica leads at once (a Lease left by a killed process, even
 * under the same id, only once it expired; a stopped one hands it back).
 */
export async function startLeaseElection({
  kubeConfig,
  namespace,
  identity,
  log,
  name = LEADER_LEASE_NAME,
  timing = leaseTiming,
  now = () => Date.now(),
}: {
  kubeConfig: KubeConfig;
  namespace: string;
  /** holderIdentity: the replica id. */
  identity: string;
  log: Log;
  name?: string;
  timing?: typeof leaseTiming;
  now?: () => number;
}): Promise<LeaseElection> {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  const durationMs = timing.leaseDurationSeconds * 1000;
  let leader = false;
  let holder: string | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stepDown: ReturnType<typeof setTimeout> | undefined;
  /** The last Lease version seen and when it was first seen on this replica's clock. */
  let observed = { version: "", at: 0 };
  /** The resourceVersion of this process's last successful write. */
  let written = "";
  const listeners = new Set<(leader: boolean) => void>();

  /** `renewedAt`: when the successful write was sent (the others count the Lease's age from after it). */
  const setLeader = (next: boolean, renewedAt = now()) => {
    if (next) {
      // Leading lasts until a renewal is overdue: then step down, before the Lease can expire for others.
      clearTimeout(stepDown);
      stepDown = setTimeout(
        () => {
          log.warn({ lease: `${namespace}/${name}` }, "cluster: the leader Lease was not renewed in time");
          setLeader(false);
        },
        Math.max(0, renewedAt + timing.renewDeadlineMs - now()),
      );
      stepDown.unref?.();
    } else clearTimeout(stepDown);
    if (next === leader) return;
    leader = next;
    if (next) holder = identity;
    log.info(
      { replica: identity, lease: `${namespace}/${name}` },
      next ? "cluster: this replica leads (Kubernetes Lease)" : "cluster: this replica no longer leads",
    );
    for (const listener of [...listeners]) listener(next);
  };

  const withTimeout = <T>(request: Promise<T>): Promise<T> =>
    Promise.race([
      request,
      new Promise<never>((_, reject) => {
        const t = setTimeout(() => reject(new Error("the API server did not answer in time")), timing.requestTimeoutMs);
        t.unref?.();
        request.finally(() => clearTimeout(t)).catch(() => {});
      }),
    ]);

  /** `renewing`: the Lease is still the version this process wrote last (acquireTime and transitions stay). */
  const spec = (at: number, current?: V1Lease, renewing = false) => {
    const previous = current?.spec;
    return {
      holderIdentity: identity,
      leaseDurationSeconds: timing.leaseDurationSeconds,
      acquireTime: renewing && previous?.acquireTime ? previous.acquireTime : new V1MicroTime(at),
      renewTime: new V1MicroTime(at),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (current && !renewing ? 1 : 0),
    };
  };

  const read = async (): Promise<V1Lease | null> => {
    try {
      return await withTimeout(api.readNamespacedLease({ name, namespace }));
    } catch (err) {
      if (codeOf(err) === 404) return null;
      throw err;
    }
  };

  /** One round: create, renew, take over, or observe. A 409 means another replica wrote first. */
  const tick = async () => {
    try {
      const current = await read();
      const at = now();
      if (!current) {
        const created = await withTimeout(
          api.createNamespacedLease({ namespace, body: { metadata: { name }, spec: spec(at) } }),
        );
        written = created.metadata?.resourceVersion ?? "";
        setLeader(true, at);
        return;
      }
      const version = current.metadata?.resourceVersion ?? "";
      if (version !== observed.version) observed = { version, at };
      const currentHolder = current.spec?.holderIdentity ?? "";
      const expired = currentHolder === "" || at - observed.at > durationMs;
      // Renew only the version this process wrote: a Lease held under the same id by another process (one
      // killed, or a duplicate id) is taken over only once it expired, so two processes never both lead.
      const renewing = currentHolder === identity && version === written;
      if (renewing || expired) {
        const body: V1Lease = { ...current, spec: spec(at, current, renewing) };
        const result = await withTimeout(api.replaceNamespacedLease({ name, namespace, body }));
        written = result.metadata?.resourceVersion ?? "";
        observed = { version: written, at };
        setLeader(true, at);
        return;
      }
      holder = currentHolder;
      setLeader(false);
    } catch (err) {
      if (codeOf(err) === 409) {
        // Another replica created or took the Lease between our read and write: follow it.
        setLeader(false);
        const winner = await read().catch(() => null);
        holder = winner?.spec?.holderIdentity || null;
        if (winner) observed = { version: winner.metadata?.resourceVersion ?? "", at: now() };
        return;
      }
      // Unreachable API server: a leader keeps leading until its renew deadline passes (the step-down timer).
      log.warn({ err, lease: `${namespace}/${name}` }, "cluster: cannot read or write the leader Lease");
    }
  };

  const loop = async () => {
    await tick();
    if (stopped) return;
    timer = setTimeout(() => void loop(), timing.retryMs);
    timer.unref?.();
  };
  await loop();

  return {
    isLeader: () => leader,
    leaderId: () => (leader ? identity : holder),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    describe: () => `kubernetes Lease ${namespace}/${name}`,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const wasLeader = leader;
      setLeader(false);
      if (!wasLeader) return;
      // Hand the Lease back so another replica takes over at its next round instead of after expiry.
      try {
        const current = await read();
        if (current?.spec?.holderIdentity !== identity) return;
        const body: V1Lease = {
          ...current,
          spec: { ...current.spec, holderIdentity: "", renewTime: new V1MicroTime(now()) },
        };
        await withTimeout(api.replaceNamespacedLease({ name, namespace, body }));
      } catch (err) {
        log.warn({ err, lease: `${namespace}/${name}` }, "cluster: could not hand the leader Lease back");
      }
    },
  };
}
