import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll } from "vitest";
import { endOrphanAnvil } from "../chain/anvil-process.ts";
import { devnetPaths } from "../chain/start-devnet.ts";
import { type ServeProcess, startServeProcess, stopServeProcesses } from "./serve-process.ts";

/** A replica started by `useReplicaSet`: the serve process, its own data home and its replica id. */
export interface Replica extends ServeProcess {
  id: string;
  home: string;
}

/** What `/readyz` says about replication (SPEC §15). */
export interface ReadyzReplication {
  status: string;
  replica?: string;
  role?: "leader" | "follower";
  leader?: string | null;
}

/** Reads a server's `/readyz`; null when it does not answer. */
export async function readReadyz(url: string): Promise<ReadyzReplication | null> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
  return res ? ((await res.json()) as ReadyzReplication) : null;
}

/**
 * Several `tollgate serve` processes on one shared, fresh database (DATABASE_URL's server when set, else
 * one embedded PostgreSQL), each with its own data home, like replicas behind a load balancer. Registers
 * its own beforeAll/afterAll; every replica still running at the end is stopped.
 */
export function useReplicaSet(baseEnv: Record<string, string | undefined> = {}) {
  let database: TestDatabase | undefined;
  const homes: string[] = [];
  const running: Replica[] = [];

  // Replicas share one master key, or none could read the secrets another one stored.
  let keyHome = "";
  beforeAll(async () => {
    database = await createTestDatabase();
    keyHome = makeTestHome();
    homes.push(keyHome);
    writeFileSync(join(keyHome, "master.key"), `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  });

  afterAll(async () => {
    await stopServeProcesses(running);
    // A replica killed with -9 leaves its devnet's anvil running (as a real crash would): end it.
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    for (const home of homes) await endOrphanAnvil({ ...devnetPaths(home), logger: quiet, graceMs: 2_000 });
    await database?.close();
    for (const home of homes) removeTestHome(home);
  });

  return {
    /** The shared database's URL. */
    databaseUrl: () => database?.url ?? "",
    /** Starts a replica named `id` on the shared database (waits for `/readyz` unless told not to). */
    async start(
      id: string,
      extra: Record<string, string | undefined> = {},
      options: { waitReady?: boolean; timeoutMs?: number } = {},
    ): Promise<Replica> {
      const home = makeTestHome();
      homes.push(home);
      const env = {
        DATABASE_URL: database?.url,
        TOLLGATE_REPLICA_ID: id,
        TOLLGATE_MASTER_KEY_FILE: join(keyHome, "master.key"),
        ...baseEnv,
        ...extra,
      };
      const proc = await startServeProcess({ home, env, ...options });
      const replica = { ...proc, id, home };
      running.push(replica);
      return replica;
    },
  };
}
