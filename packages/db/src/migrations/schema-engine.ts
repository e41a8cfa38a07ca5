import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { createPgPool, internalCharColumns, type PgConnectionParts } from "../pg-pool.ts";

type EngineAdapterFactory = Parameters<typeof bindMigrationAwareSqlAdapterFactory>[0];
type ConnectedAdapter = Awaited<ReturnType<EngineAdapterFactory["connect"]>>;

interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: object } }>;
}

let lastPanicMessage: string | undefined;

/** The message of the last panic inside the schema engine, if any. */
export function lastSchemaEnginePanic(): string | undefined {
  return lastPanicMessage;
}

let wasmReady: Promise<void> | undefined;

/**
 * The engine's glue with its timers unref'd: the engine starts a 10 s timeout per call that it never
 * clears, which otherwise keeps a server that stops right after start-up migrations alive for 10 s.
 */
function withUnrefTimers(glue: object): object {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (!name.startsWith("__wbg_setTimeout_") || typeof value !== "function") continue;
    imports[name] = (...args: unknown[]) => {
      const timer = (value as (...a: unknown[]) => { unref?: () => void })(...args);
      timer?.unref?.();
      return timer;
    };
  }
  return imports;
}

/** Loads the schema engine's wasm once per process (the Prisma CLI cannot download its native engine here). */
function loadSchemaEngineWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The wasm reports Rust panics through this global; keep the message so the error names the cause.
    (globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY: object }).PRISMA_WASM_PANIC_REGISTRY = {
      set_message(message: string) {
        lastPanicMessage = message;
      },
    };
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = readFileSync(join(pkgDir, "schema_engine_bg.wasm"));
    // `WebAssembly` is a Node global that the ES lib typings do not declare.
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": withUnrefTimers(bg) });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  })();
  return wasmReady;
}

const CHARACTER_COLUMN_TYPE = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

interface Queryable {
  queryRaw(query: unknown): Promise<{ columnTypes: number[]; rows: object }>;
  startTransaction?(...args: unknown[]): Promise<Queryable>;
}

/** Restores the Character type on `"char"` columns, which the engine's catalog reader insists on (PG 18's NOT NULL constraints). */
function restoreCharColumns<T>(adapter: T): T {
  const target = adapter as unknown as Queryable;
  const queryRaw = target.queryRaw.bind(target);
  target.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of internalCharColumns.get(result.rows) ?? []) result.columnTypes[index] = CHARACTER_COLUMN_TYPE;
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction)
    target.startTransaction = async (...args) => restoreCharColumns(await startTransaction(...args));
  return adapter;
}

/**
 * The adapter factory the engine drives: its own pools (which report `"char"` as text) and a shadow
 * database it connects to by name, disposes before dropping, and drops with FORCE (toolchain.md §2).
 */
function createEngineAdapterFactory(parts: PgConnectionParts): EngineAdapterFactory & { disposeAll(): Promise<void> } {
  const main = new PrismaPg(createPgPool(parts, { forIntrospection: true, max: 2 }), { disposeExternalPool: true });
  const connected: ConnectedAdapter[] = [];
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const adapter = restoreCharColumns(await main.connect());
      connected.push(adapter);
      return adapter;
    },
    // The engine does not close what it opened; without this the session (and Prisma's migration
    // advisory lock) lingers until the pool's idle timeout.
    async disposeAll() {
      await Promise.all(connected.splice(0).map((adapter) => adapter.dispose().catch(() => {})));
    },
    async connectToShadowDb(): Promise<ConnectedAdapter> {
      const admin = createPgPool(parts, { max: 1 });
      const database = `tollgate_shadow_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
      await admin.query(`CREATE DATABASE "${database}"`);
      const shadow = await new PrismaPg(createPgPool({ ...parts, database }, { forIntrospection: true, max: 2 }), {
        disposeExternalPool: true,
      }).connect();
      restoreCharColumns(shadow);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      };
      return shadow;
    },
  };
}

export type SchemaEngine = bg.SchemaEngine;

/** A schema engine bound to the database; call `dispose()` when done. */
export async function openSchemaEngine(options: { parts: PgConnectionParts; schemaPath: string }): Promise<{
  engine: SchemaEngine;
  schemaText: string;
  /** Runs an engine call; an "External error" (a JS error inside the adapter) is rethrown with its message. */
  run<T>(call: () => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}> {
  await loadSchemaEngineWasm();
  const schemaText = readFileSync(options.schemaPath, "utf8");
  const adapters = createEngineAdapterFactory(options.parts);
  const factory = bindMigrationAwareSqlAdapterFactory(adapters);
  const engine = await bg.SchemaEngine.new({ datamodels: [[options.schemaPath, schemaText]] }, () => {}, factory);
  return {
    engine,
    schemaText,
    async run(call) {
      try {
        return await call();
      } catch (error) {
        // The engine reports an adapter's JS error as "External error" and keeps the error itself
        // in the bound factory's registry; name it, e.g. a shadow database the user may not create.
        const registry = (
          factory as unknown as { errorRegistry?: { registeredErrors?: ({ error: unknown } | undefined)[] } }
        ).errorRegistry;
        const causes = (registry?.registeredErrors ?? []).flatMap((entry) =>
          entry ? [entry.error instanceof Error ? entry.error.message : String(entry.error)] : [],
        );
        if (!causes.length || !(error instanceof Error)) throw error;
        throw new Error(`${error.message}: ${causes.join("; ")}`, { cause: error });
      }
    },
    async dispose() {
      engine.free();
      await adapters.disposeAll();
    },
  };
}
