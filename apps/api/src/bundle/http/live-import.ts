import { TollgateError } from "@tollgate/core";
import { type Db, type LedgerSnapshot, readLedgerSnapshot, replaceLedger } from "@tollgate/db";
import { devnetSettingKey } from "../../chain/devnet-setting.ts";
import { type ImportPlan, type ParsedBundle, planImport } from "../import-bundle.ts";
import type { HomeLedger } from "../open-home-ledger.ts";

/** Tables a live import keeps from this server: the admin who uploads stays able to manage it. */
export const keptOnLiveImport = ["apiToken", "adminUser"] as const;

/** What a live import (through the running server) would do, beyond the CLI's plan. */
export interface LiveImportPlan extends ImportPlan {
  /** What happens to the devnet chain state in the bundle. */
  devnetStateAction: string;
  /** Tables taken from this server instead of the bundle. */
  keptTables: string[];
  /** Why this bundle cannot be imported into the running server (nothing would change), or null. */
  blockedReason: string | null;
}

type SnapshotRow = Record<string, unknown>;

function settingValue(rows: SnapshotRow[] | undefined, key: string): unknown {
  return rows?.find((row) => row.key === key)?.value ?? null;
}

/** The devnet facts that must match for the running anvil to serve the imported ledger. */
function devnetIdentity(value: unknown): string | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  return JSON.stringify([v.chainId, v.usdc, v.identityRegistry, v.accounts]);
}

/**
 * The snapshot a live import writes, and what it does with the devnet. A running anvil cannot have its
 * chain state swapped (it dumps its own state to the same file), so the bundle's devnet state is never
 * written while one runs; when the bundle's devnet (contracts, accounts) differs from the running one,
 * the imported offers and identities would point at contracts this chain does not have, so the import is
 * blocked and the CLI (server stopped) is the way. Credentials stay this server's, sessions end.
 */
export async function prepareLiveImport(options: {
  db: Db;
  bundle: ParsedBundle;
  devnetRunning: boolean;
}): Promise<{ snapshot: LedgerSnapshot; devnetState: string; blockedReason: string | null }> {
  const { db, bundle, devnetRunning } = options;
  const current = await readLedgerSnapshot(db, { includePayments: false });
  const snapshot: LedgerSnapshot = { ...bundle.snapshot };
  for (const table of keptOnLiveImport) snapshot[table] = current[table] ?? [];
  let blockedReason: string | null = null;
  let devnetState: string;
  if (!devnetRunning) {
    devnetState = bundle.devnetState
      ? "applied: the devnet starts from the bundle's chain state next time it runs"
      : "none in bundle";
  } else {
    const running = settingValue(current.setting, devnetSettingKey);
    const incoming = settingValue(bundle.snapshot.setting, devnetSettingKey);
    if (incoming !== null && devnetIdentity(incoming) !== devnetIdentity(running)) {
      blockedReason =
        "the bundle comes from a devnet with other contracts or accounts than this server's running devnet; stop the server and run `tollgate import` instead";
    }
    // Keep the running devnet's record (its RPC port and URL are this box's).
    snapshot.setting = [
      ...(bundle.snapshot.setting ?? []).filter((row) => row.key !== devnetSettingKey),
      ...(current.setting ?? []).filter((row) => row.key === devnetSettingKey),
    ];
    devnetState = bundle.devnetState
      ? "skipped: the devnet is running and keeps its own chain state (balances, agent ids); restart does not change that — to use the bundle's chain state, stop the server and run `tollgate import`"
      : "none in bundle";
  }
  return { snapshot, devnetState, blockedReason };
}

/** The dry run of a live import. */
export async function planLiveImport(options: {
  ledger: HomeLedger;
  bundle: ParsedBundle;
  devnetRunning: boolean;
}): Promise<LiveImportPlan> {
  const plan = await planImport(options.ledger, options.bundle);
  const live = await prepareLiveImport({ db: options.ledger.db, ...options });
  const kept = new Set<string>(keptOnLiveImport);
  return {
    ...plan,
    tables: plan.tables.map((row) => (kept.has(row.table) ? { ...row, incoming: row.current } : row)),
    devnetStateAction: live.devnetState,
    keptTables: [...keptOnLiveImport],
    blockedReason: live.blockedReason,
  };
}

/**
 * Applies a bundle to the running server's ledger in one transaction (the same `replaceLedger` as the
 * CLI); refuses, changing nothing, when blocked or when the ledger has content and `force` is not set.
 */
export async function applyLiveImport(options: {
  ledger: HomeLedger;
  bundle: ParsedBundle;
  devnetRunning: boolean;
  force: boolean;
  writeDevnetState: (state: Buffer) => void;
}): Promise<{ plan: LiveImportPlan; devnetState: string }> {
  const plan = await planLiveImport(options);
  if (plan.blockedReason) throw new TollgateError("CONFLICT", `import refused: ${plan.blockedReason}`);
  if (plan.agents.outcome === "refused") {
    throw new TollgateError("IMPORT_REFUSED", `import refused: ${plan.agents.message}`, { hint: plan.agents.hint });
  }
  if (plan.ledgerHasContent && !options.force) {
    throw new TollgateError(
      "CONFLICT",
      "this ledger already has offers, payments or identities: confirm with force to replace them",
      { hint: "POST /admin/api/import?force=1" },
    );
  }
  const { snapshot, devnetState } = await prepareLiveImport({ db: options.ledger.db, ...options });
  await replaceLedger(options.ledger.db, {
    snapshot,
    secrets: options.bundle.secrets,
    masterKey: options.ledger.masterKey,
  });
  if (!options.devnetRunning && options.bundle.devnetState) options.writeDevnetState(options.bundle.devnetState);
  return { plan, devnetState };
}
