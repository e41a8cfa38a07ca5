// The database the db:* scripts work on: DATABASE_URL, else the embedded cluster in TOLLGATE_HOME.
import { startEmbeddedPostgres } from "../embedded/start-embedded-postgres.ts";
import { type PgConnectionParts, parseDatabaseUrl } from "../pg-pool.ts";
import { scriptEnv } from "./env.ts";

const log = {
  info: (obj: object, msg?: string) => console.error(msg ?? "", JSON.stringify(obj)),
  warn: (obj: object, msg?: string) => console.error(msg ?? "", JSON.stringify(obj)),
};

/** Connection parts for the script's database, and how to let it go. */
export async function openScriptDatabase(): Promise<{ parts: PgConnectionParts; close(): Promise<void> }> {
  if (scriptEnv.databaseUrl) return { parts: parseDatabaseUrl(scriptEnv.databaseUrl), close: async () => {} };
  const pg = await startEmbeddedPostgres({ home: scriptEnv.home, log });
  return { parts: pg.parts, close: () => pg.stop() };
}
