import pg from "pg";

/** Connection settings split into parts (pg ignores `database` next to a `connectionString`). */
export interface PgConnectionParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Splits a postgres:// URL into discrete parts. */
export function parseDatabaseUrl(url: string): PgConnectionParts {
  const parsed = new URL(url);
  const host = parsed.searchParams.get("host") ?? decodeURIComponent(parsed.hostname);
  return {
    host: host || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || "postgres",
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
  };
}

/** Builds a postgres:// URL from parts. */
export function formatDatabaseUrl(parts: PgConnectionParts): string {
  const auth = `${encodeURIComponent(parts.user)}${parts.password ? `:${encodeURIComponent(parts.password)}` : ""}`;
  return `postgresql://${auth}@${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}`;
}

interface QueryResultLike {
  fields?: { dataTypeID: number }[];
}

const PG_INTERNAL_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** Result rows whose columns were `"char"`, by column index: read by the schema engine's adapter wrapper. */
export const internalCharColumns = new WeakMap<object, number[]>();

function reportInternalCharAsText<T>(result: T): T {
  for (const item of Array.isArray(result) ? result : [result]) {
    const res = item as (QueryResultLike & { rows?: object }) | undefined;
    const charColumns: number[] = [];
    res?.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_INTERNAL_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        charColumns.push(index);
      }
    });
    if (charColumns.length && res?.rows) internalCharColumns.set(res.rows, charColumns);
  }
  return result;
}

/**
 * A pg client that reports Postgres' internal `"char"` type as text, remembering which columns were
 * `"char"`. Prisma's pg adapter cannot map OID 18, which the schema engine's catalog introspection
 * returns (toolchain.md §2, workaround 1); the engine wrapper restores the Character column type.
 */
class IntrospectionSafeClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (error: unknown, result: unknown) => void;
      args[last] = (error: unknown, result: unknown) =>
        callback(error, error ? result : reportInternalCharAsText(result));
    }
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the overloads unchanged
    const out = (super.query as (...a: any[]) => any)(...args);
    if (out && typeof out.then === "function") return out.then(reportInternalCharAsText);
    return out;
  }
}

/** A pool for the given parts; `forIntrospection` makes the schema engine's catalog queries work. */
export function createPgPool(parts: PgConnectionParts, options: { forIntrospection?: boolean; max?: number } = {}) {
  const pool = new pg.Pool({
    ...parts,
    max: options.max ?? 10,
    idleTimeoutMillis: 10_000,
    ...(options.forIntrospection ? { Client: IntrospectionSafeClient } : {}),
  });
  // An idle connection the server ends (a restart, a dropped database) is discarded by the pool; without
  // a listener that 'error' event would crash the process. The next query opens a fresh connection.
  pool.on("error", () => {});
  return pool;
}
