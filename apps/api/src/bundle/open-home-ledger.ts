import {
  applyMigrations,
  createPrismaClient,
  type Db,
  findRunningEmbeddedPostgres,
  formatDatabaseUrl,
  parseDatabaseUrl,
  startEmbeddedPostgres,
} from "@tollgate/db";
import type { Env } from "../env.ts";
import { ensureHome, findRunningServer, loadOrCreateMasterKey } from "../home/data-home.ts";

export interface HomeLedger {
  db: Db;
  masterKey: Buffer;
  /** Whether a running server owns this home right now. */
  serverRunning: boolean;
  close(): Promise<void>;
}

const quiet = { info() {}, warn() {} };

/**
 * The ledger of this data home for local tools (export, import): DATABASE_URL if set; else the
 * embedded cluster a running server started; else the embedded cluster started just for this
 * command and stopped afterwards. Migrations are applied first.
 */
export async function openHomeLedger(env: Env): Promise<HomeLedger> {
  const paths = ensureHome(env.home);
  const masterKey = loadOrCreateMasterKey(paths, env.TOLLGATE_MASTER_KEY_FILE);
  const running = await findRunningEmbeddedPostgres(env.home);
  const serverRunning = findRunningServer(paths) !== null;
  let stop = async () => {};
  let parts = env.DATABASE_URL ? parseDatabaseUrl(env.DATABASE_URL) : running;
  if (!parts) {
    const embedded = await startEmbeddedPostgres({ home: env.home, log: quiet });
    parts = embedded.parts;
    stop = () => embedded.stop();
  }
  await applyMigrations(parts);
  const db = createPrismaClient(formatDatabaseUrl(parts), { poolSize: 2 });
  return {
    db,
    masterKey,
    serverRunning,
    async close() {
      await db.$disconnect();
      await stop();
    },
  };
}
