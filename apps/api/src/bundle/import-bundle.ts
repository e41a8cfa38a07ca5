import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BundleManifest, bundleEntries, bundleLimits, bundleManifestSchema, bundleVersion } from "@tollgate/core";
import {
  countLedgerRows,
  createSecretStore,
  createSettingsStore,
  type LedgerSnapshot,
  ledgerHasContent,
  readLedgerSnapshot,
  replaceLedger,
  type SnapshotTable,
} from "@tollgate/db";
import { type Hex, isHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devnetSecretNames, devnetSettingKey, devnetSettingSchema } from "../chain/devnet-setting.ts";
import { type AgentKeysDecision, assessAgentKeys } from "./assess-agent-keys.ts";
import { assessLocalDevnet, type DevnetDecision, repointLocalOffers } from "./assess-local-devnet.ts";
import { credentialTables } from "./export-bundle.ts";
import type { HomeLedger } from "./open-home-ledger.ts";
import { openWithPassphrase, type SealedBox } from "./seal-with-passphrase.ts";
import { readTarGz, UnsafeArchiveError } from "./tar-archive.ts";

export interface ParsedBundle {
  manifest: BundleManifest;
  snapshot: LedgerSnapshot;
  /** Plaintext secrets, or null when the bundle has none or no passphrase was given. */
  secrets: Record<string, string> | null;
  secretsSkipped: boolean;
  devnetState: Buffer | null;
}

function parseJson(entry: string, data: Buffer | undefined): unknown {
  try {
    return JSON.parse((data ?? Buffer.alloc(0)).toString("utf8"));
  } catch {
    throw new UnsafeArchiveError(`archive refused: ${entry} is not valid JSON`);
  }
}

function asRows(value: unknown, where: string): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.some((row) => row === null || typeof row !== "object" || Array.isArray(row))) {
    throw new UnsafeArchiveError(`archive refused: ${where} is not a list of rows`);
  }
  return value as Record<string, unknown>[];
}

/** Reads and checks a bundle without touching the ledger; every refusal names its reason. */
export async function parseBundle(archive: Buffer, passphrase: string | null): Promise<ParsedBundle> {
  const entries = await readTarGz(archive, { maxFirstEntryBytes: bundleLimits.manifestBytes });
  const first = entries[0];
  if (!first || first.name !== bundleEntries.manifest || first.type !== "file") {
    throw new UnsafeArchiveError("archive refused: manifest.json must be the first entry (is this a Tollgate bundle?)");
  }
  const rawManifest = parseJson(first.name, first.data) as { version?: unknown };
  if (rawManifest?.version !== bundleVersion) {
    throw new UnsafeArchiveError(
      `archive refused: unknown manifest version ${JSON.stringify(rawManifest?.version)} (this Tollgate reads version ${bundleVersion})`,
    );
  }
  const manifest = bundleManifestSchema.safeParse(rawManifest);
  if (!manifest.success) {
    const issue = manifest.error.issues[0];
    throw new UnsafeArchiveError(`archive refused: manifest.json ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const byName = new Map(entries.filter((e) => e.type === "file").map((e) => [e.name, e]));
  const ledgerEntry = byName.get(bundleEntries.ledger);
  if (!ledgerEntry) throw new UnsafeArchiveError(`archive refused: ${bundleEntries.ledger} is missing`);
  const tables = (parseJson(ledgerEntry.name, ledgerEntry.data) as { tables?: Record<string, unknown> }).tables;
  if (!tables || typeof tables !== "object") throw new UnsafeArchiveError("archive refused: the ledger has no tables");
  const snapshot: LedgerSnapshot = {};
  for (const [table, rows] of Object.entries(tables)) {
    if (rows === undefined || table === "payment") continue;
    snapshot[table as SnapshotTable] = asRows(rows, `ledger table ${table}`);
  }
  for (const offer of snapshot.offer ?? []) {
    if (typeof offer.id !== "string" || typeof offer.name !== "string" || typeof offer.state !== "string") {
      throw new UnsafeArchiveError("archive refused: an offer row lacks id, name or state");
    }
  }
  const agentIds = new Set((snapshot.agent ?? []).map((agent) => agent.id));
  for (const row of snapshot.agentPayment ?? []) {
    if (typeof row.id !== "string" || !agentIds.has(row.agentId) || row.direction !== "outbound") {
      throw new UnsafeArchiveError(
        "archive refused: an outbound payment row lacks an id, is not `outbound`, or names an agent the bundle does not have",
      );
    }
  }
  const paymentsEntry = byName.get(bundleEntries.payments);
  if (paymentsEntry) {
    snapshot.payment = asRows(
      (parseJson(paymentsEntry.name, paymentsEntry.data) as { rows?: unknown }).rows,
      "payments",
    );
  }
  let secrets: Record<string, string> | null = null;
  const secretsEntry = byName.get(bundleEntries.secrets);
  if (secretsEntry && passphrase !== null) {
    const box = parseJson(secretsEntry.name, secretsEntry.data) as SealedBox;
    secrets = JSON.parse(await openWithPassphrase(box, passphrase)) as Record<string, string>;
  }
  return {
    manifest: manifest.data,
    snapshot,
    secrets,
    secretsSkipped: Boolean(secretsEntry) && passphrase === null,
    devnetState: byName.get(bundleEntries.devnetState)?.data ?? null,
  };
}

export interface ImportPlan {
  tables: { table: string; current: number; incoming: number }[];
  offers: { name: string; state: string }[];
  secrets: "replaced" | "kept" | "none in bundle";
  devnetState: boolean;
  ledgerHasContent: boolean;
  /** What happens to the local devnet and the offers on it; `refused` stops the import. */
  devnet: DevnetDecision;
  /** Whether the bundle's agents keep their wallets; `refused` stops the import (no wallet is ever re-minted). */
  agents: AgentKeysDecision;
}

const addressOfKey = (key: string | null | undefined) =>
  key && isHex(key) && key.length === 66 ? privateKeyToAccount(key as Hex).address : null;

/** This home's devnet keys, and its devnet record when those keys are the ones that deployed it. */
async function readThisBoxDevnet(ledger: HomeLedger) {
  const secrets = createSecretStore({ db: ledger.db, masterKey: ledger.masterKey });
  const keys: Record<string, string> = {};
  for (const name of Object.values(devnetSecretNames)) {
    const value = await secrets.get(name);
    if (value !== null) keys[name] = value;
  }
  const parsed = devnetSettingSchema.safeParse(await createSettingsStore({ db: ledger.db }).get(devnetSettingKey));
  const ownsIt = parsed.success && addressOfKey(keys[devnetSecretNames.deployer]) === parsed.data.accounts.deployer;
  return { keys, setting: ownsIt ? parsed.data : null };
}

/** What an import would change (the dry run shows this). */
export async function planImport(
  ledger: HomeLedger,
  bundle: ParsedBundle,
  options: { keepLocalDevnet?: boolean } = {},
): Promise<ImportPlan> {
  const thisBox = await readThisBoxDevnet(ledger);
  // Imported secrets replace this home's; without them this home's keys stay.
  const deployerKeyAfter = bundle.secrets
    ? bundle.secrets[devnetSecretNames.deployer]
    : thisBox.keys[devnetSecretNames.deployer];
  const devnet = assessLocalDevnet({
    snapshot: bundle.snapshot,
    bundleHasDevnetState: bundle.devnetState !== null,
    bundleSecretNames: Object.keys(bundle.secrets ?? {}),
    deployerAfterImport: addressOfKey(deployerKeyAfter),
    thisBoxDevnet: thisBox.setting,
    keepLocalDevnet: options.keepLocalDevnet ?? false,
  });
  // Without sealed secrets the import keeps this home's: an agent's key may already be here.
  const homeSecrets = createSecretStore({ db: ledger.db, masterKey: ledger.masterKey });
  const homeKeys = new Map<string, string>();
  if (!bundle.secrets) {
    for (const row of bundle.snapshot.agent ?? []) {
      const name = typeof row.walletSecretId === "string" ? row.walletSecretId : null;
      const value = name ? await homeSecrets.get(name).catch(() => null) : null;
      if (name && value) homeKeys.set(name, value);
    }
  }
  const agents = assessAgentKeys({
    snapshot: bundle.snapshot,
    keyOf: (name) => (bundle.secrets ? bundle.secrets[name] : homeKeys.get(name)),
  });
  const counts = await countLedgerRows(ledger.db);
  const tables = Object.entries(counts)
    .filter(([table]) => table !== "secret")
    .map(([table, current]) => ({ table, current, incoming: bundle.snapshot[table as SnapshotTable]?.length ?? 0 }));
  return {
    tables,
    offers: (bundle.snapshot.offer ?? []).map((o) => ({ name: String(o.name), state: String(o.state) })),
    secrets: bundle.secrets ? "replaced" : bundle.secretsSkipped ? "kept" : "none in bundle",
    devnetState: bundle.devnetState !== null,
    ledgerHasContent: await ledgerHasContent(ledger.db),
    devnet,
    agents,
  };
}

/** A bundle exported without credentials leaves this box's owner password and API tokens as they are. */
async function keepLocalCredentials(ledger: HomeLedger, snapshot: LedgerSnapshot): Promise<LedgerSnapshot> {
  if (credentialTables.some((table) => snapshot[table] !== undefined)) return snapshot;
  const current = await readLedgerSnapshot(ledger.db, { includePayments: false });
  return { ...snapshot, apiToken: current.apiToken ?? [], adminUser: current.adminUser ?? [] };
}

/**
 * Applies a parsed bundle as the plan decided: the ledger in one transaction, then the devnet state
 * file. A re-pointed import keeps this box's devnet (record, keys and chain state).
 */
export async function applyImport(options: {
  ledger: HomeLedger;
  bundle: ParsedBundle;
  plan: ImportPlan;
  home: string;
}): Promise<void> {
  const { ledger, bundle, plan } = options;
  if (plan.devnet.outcome === "refused") throw new Error(plan.devnet.message);
  if (plan.agents.outcome === "refused") throw new Error(plan.agents.message);
  const repointed = plan.devnet.outcome === "repointed" ? plan.devnet : null;
  const snapshot = repointed ? repointLocalOffers(bundle.snapshot, repointed) : bundle.snapshot;
  const secrets =
    repointed && bundle.secrets ? { ...bundle.secrets, ...(await readThisBoxDevnet(ledger)).keys } : bundle.secrets;
  await replaceLedger(ledger.db, {
    snapshot: await keepLocalCredentials(ledger, snapshot),
    secrets,
    masterKey: ledger.masterKey,
  });
  if (bundle.devnetState && !repointed) {
    const dir = join(options.home, "devnet");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, "state.json"), bundle.devnetState, { mode: 0o600 });
    chmodSync(join(dir, "state.json"), 0o600);
  }
}
