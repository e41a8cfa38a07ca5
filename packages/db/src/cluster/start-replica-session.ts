import { randomBytes } from "node:crypto";
import type { LeadershipSource, ReplicaMembership, ReplicationStatus } from "@tollgate/core/cluster/replica-membership";
import pg from "pg";
import type { PgConnectionParts } from "../pg-pool.ts";

/** First key of every Tollgate advisory lock ("Toll"), so other applications' locks never collide with ours. */
export const tollgateLockNamespace = 0x546f6c6c;
const leaderLockKey = 1;
const applicationPrefix = "tollgate:";

interface SessionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A replica's membership plus named leases held on the same connection (they end with it). */
export interface ReplicaSession extends ReplicaMembership {
  /** This process: `<replica id>#<random>`, new at every start (payment rows carry it). */
  readonly instanceId: string;
  /** The instances connected to the ledger now (this one included): their payments are in progress. */
  liveInstances(): Promise<string[]>;
  /** Takes the named lease if nobody holds it (an advisory lock on this replica's membership connection). */
  tryLease(name: string): Promise<boolean>;
  /** Gives a lease back. */
  releaseLease(name: string): Promise<void>;
  /** Called when the membership connection was lost: every lease (and leadership) is gone. */
  onLeasesLost(listener: () => void): () => void;
  /** Leaves the cluster: closes the connection, which releases leadership and every lease. */
  stop(): Promise<void>;
}

/** The second key of a named lease: a stable 30-bit hash (FNV-1a) above the keys reserved for Tollgate. */
export function leaseLockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1_000 + (hash % 0x3fffffff);
}

/**
 * Joins the cluster of servers on one ledger (SPEC §15) through one dedicated Postgres connection, named
 * `tollgate:<replica id>` (so every replica sees who is connected). Leadership is the session advisory lock
 * `(Toll, 1)`: the holder checks its connection with a heartbeat every `intervalMs`; the others try the lock
 * at the same pace. A dead leader's connection (a kill -9 closes its socket) releases the lock, so leadership
 * moves within about one interval. Resolves after the first attempt, so a lone server leads from the start.
 * With `leadership` (a Kubernetes Lease when the kubernetes driver is on) that source alone decides who leads:
 * the session never takes the leader lock and keeps its connection for membership and gas-account leases.
 */
export async function startReplicaSession({
  parts,
  replicaId,
  log,
  intervalMs = 2_000,
  queryTimeoutMs = 5_000,
  leadership,
}: {
  parts: PgConnectionParts;
  replicaId: string;
  log: SessionLog;
  intervalMs?: number;
  queryTimeoutMs?: number;
  leadership?: LeadershipSource;
}): Promise<ReplicaSession> {
  const instanceId = `${replicaId}#${randomBytes(4).toString("hex")}`;
  const applicationName = `${applicationPrefix}${instanceId}`;
  /** The replica id inside an application name (`tollgate:<replica>#<instance>`). */
  const replicaOf = (name: string) => name.slice(applicationPrefix.length).replace(/#[0-9a-f]+$/, "");
  let client: pg.Client | null = null;
  let leader = false;
  let leaderId: string | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const leases = new Set<string>();
  const changeListeners = new Set<(leader: boolean) => void>();
  const lostListeners = new Set<() => void>();

  const setLeader = (next: boolean) => {
    if (next === leader) return;
    leader = next;
    log.info({ replica: replicaId }, next ? "cluster: this replica leads" : "cluster: this replica no longer leads");
    for (const listener of [...changeListeners]) listener(next);
  };

  const drop = (c: pg.Client, reason: unknown) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => {});
    if (!stopped) log.warn({ err: reason, replica: replicaId }, "cluster: membership connection lost");
    leases.clear();
    leaderId = null;
    setLeader(false);
    for (const listener of [...lostListeners]) listener();
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      ...parts,
      application_name: applicationName,
      keepAlive: true,
      connectionTimeoutMillis: queryTimeoutMs,
      query_timeout: queryTimeoutMs,
    });
    c.on("error", (error) => drop(c, error));
    c.on("end", () => drop(c, new Error("connection ended")));
    await c.connect();
    client = c;
    return c;
  };

  // One connection attempt at a time, shared by the membership loop and lease requests: after the ledger
  // restarted, a lease asked for by a request reconnects at once instead of waiting for the next tick.
  let connecting: Promise<pg.Client> | null = null;
  const ensureClient = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  const tryLock = async (c: pg.Client, key: number): Promise<boolean> => {
    const result = await c.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::int, $2::int) AS locked", [
      tollgateLockNamespace,
      key,
    ]);
    return result.rows[0]?.locked === true;
  };

  const readLeader = async (c: pg.Client): Promise<string | null> => {
    const result = await c.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid AND l.objid = $2::int::oid
          AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [tollgateLockNamespace, leaderLockKey],
    );
    const name = result.rows[0]?.name;
    return name?.startsWith(applicationPrefix) ? replicaOf(name) : null;
  };

  const tick = async () => {
    let c = client;
    try {
      c ??= await ensureClient();
      if (leader || leadership) {
        // Heartbeat: a connection that no longer answers is dropped (its locks go with it).
        await c.query("SELECT 1");
      } else if (await tryLock(c, leaderLockKey)) {
        leaderId = replicaId;
        setLeader(true);
      } else {
        leaderId = await readLeader(c);
      }
    } catch (error) {
      if (c) drop(c, error);
      else log.warn({ err: error, replica: replicaId }, "cluster: cannot reach the ledger for membership");
    }
  };

  const loop = async () => {
    await tick();
    if (!stopped) {
      timer = setTimeout(() => void loop(), intervalMs);
      timer.unref?.();
    }
  };
  await loop();

  const listSessions = async (c: pg.Client) =>
    (
      await c.query<{ name: string; since: Date | null }>(
        `SELECT application_name AS name, backend_start AS since FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE 'tollgate:%' ORDER BY backend_start`,
      )
    ).rows;

  const election = leadership?.describe() ?? "postgres advisory lock";
  return {
    replicaId,
    instanceId,
    async liveInstances() {
      const c = client;
      if (!c) throw new Error("not connected to the ledger: cannot tell which replicas are alive");
      return (await listSessions(c)).map((row) => row.name.slice(applicationPrefix.length));
    },
    isLeader: () => leadership?.isLeader() ?? leader,
    leaderId: () => (leadership ? leadership.leaderId() : leader ? replicaId : leaderId),
    onChange(listener) {
      if (leadership) return leadership.onChange(listener);
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    async status(): Promise<ReplicationStatus> {
      const c = client;
      const rows = c ? await listSessions(c) : [];
      const leads = leadership?.isLeader() ?? leader;
      const current = leadership ? leadership.leaderId() : leader ? replicaId : c ? await readLeader(c) : null;
      return {
        replica: replicaId,
        role: leads ? "leader" : "follower",
        leader: current,
        election,
        replicas: rows.map((row) => {
          const id = replicaOf(row.name);
          return { id, leader: id === current, since: row.since ? new Date(row.since).toISOString() : null };
        }),
      };
    },
    async tryLease(name) {
      if (leases.has(name)) return true;
      if (stopped) return false;
      let c: pg.Client;
      try {
        c = await ensureClient();
      } catch {
        return false; // the ledger is unreachable: the caller retries later
      }
      const locked = await tryLock(c, leaseLockKey(name));
      if (locked) leases.add(name);
      return locked;
    },
    async releaseLease(name) {
      const c = client;
      if (!leases.delete(name) || !c) return;
      await c
        .query("SELECT pg_advisory_unlock($1::int, $2::int)", [tollgateLockNamespace, leaseLockKey(name)])
        .catch(() => {});
    },
    onLeasesLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      leases.clear();
      setLeader(false);
      await c?.end().catch(() => {});
    },
  };
}
