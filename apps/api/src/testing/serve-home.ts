import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll } from "vitest";
import { testingEnv } from "./env.ts";
import { type ServeProcess, startServeProcess, stopServeProcesses } from "./serve-process.ts";

/**
 * One data home for a test file, with servers started on it: in DATABASE_URL mode every server of
 * the file uses one fresh database on that server; otherwise each embeds its own PostgreSQL.
 * Registers its own beforeAll/afterAll; every server still running at the end is killed.
 */
export function useServeHome(baseEnv: Record<string, string | undefined> = {}) {
  let home = "";
  let external: TestDatabase | undefined;
  let dbEnv: Record<string, string | undefined> = {};
  const running: ServeProcess[] = [];

  beforeAll(async () => {
    home = makeTestHome();
    if (testingEnv.databaseUrl) {
      external = await createTestDatabase();
      dbEnv = { DATABASE_URL: external.url };
    }
  });

  afterAll(async () => {
    await stopServeProcesses(running);
    await external?.close();
    if (home) removeTestHome(home);
  });

  return {
    home: () => home,
    /** The DATABASE_URL entry to pass to servers (empty in embedded mode). */
    dbEnv: () => dbEnv,
    /** Starts `tollgate serve` on the home and waits for /readyz. */
    async start(
      extra: Record<string, string | undefined> = {},
      options: { waitReady?: boolean; port?: number; timeoutMs?: number } = {},
    ) {
      const p = await startServeProcess({ home, env: { ...dbEnv, ...baseEnv, ...extra }, ...options });
      running.push(p);
      return p;
    },
  };
}
