import { existsSync, readFileSync } from "node:fs";
import { type BundleManifest, bundleEntries, bundleVersion, TollgateError, tollgateVersion } from "@tollgate/core";
import { readAllSecrets, readLedgerSnapshot } from "@tollgate/db";
import { dumpRunningDevnetState } from "../chain/dump-running-devnet-state.ts";
import { devnetPaths } from "../chain/start-devnet.ts";
import type { HomeLedger } from "./open-home-ledger.ts";
import { sealWithPassphrase } from "./seal-with-passphrase.ts";
import { createTarGz, type TarEntry } from "./tar-archive.ts";

/** The ledger tables that hold credentials (the owner's password hash, API token hashes). */
export const credentialTables = ["apiToken", "adminUser"] as const;

export interface ExportSummary {
  manifest: BundleManifest;
  bytes: number;
  counts: Record<string, number>;
}

/**
 * Builds the bundle of SPEC §10: `manifest.json` first, then the ledger (offers with tombstones,
 * agents with their outbound payments, models, identities, settings, tokens and audit), payments when asked, the devnet's chain
 * state, and secrets only when sealed with a passphrase.
 */
export async function buildExportBundle(options: {
  ledger: HomeLedger;
  home: string;
  includePayments: boolean;
  passphrase: string | null;
  /** Carry the owner's password hash and the API token hashes (only together with a passphrase). */
  includeCredentials?: boolean;
  progress: (message: string) => void;
}): Promise<{ archive: Buffer; summary: ExportSummary }> {
  const { ledger, progress } = options;
  const includeCredentials = options.includeCredentials ?? false;
  if (includeCredentials && !options.passphrase) {
    throw new TollgateError("VALIDATION_FAILED", "--include-credentials needs a passphrase", {
      field: "passphrase",
      hint: "Pass --passphrase-file too: credentials travel only in a bundle that is sealed",
    });
  }
  progress("reading the ledger");
  const snapshot = await readLedgerSnapshot(ledger.db, { includePayments: options.includePayments });
  // Password and token hashes are guessable offline: they leave the box only when asked for, sealed.
  if (!includeCredentials) for (const table of credentialTables) delete snapshot[table];
  const counts = Object.fromEntries(Object.entries(snapshot).map(([table, rows]) => [table, rows?.length ?? 0]));
  const entries: TarEntry[] = [];
  const components: BundleManifest["components"] = [
    {
      name: "ledger",
      included: true,
      notes: [
        `offers ${counts.offer ?? 0} (tombstones included), identities ${counts.identity ?? 0}, settings ${counts.setting ?? 0}`,
        `agents ${counts.agent ?? 0}, with ${counts.agentPayment ?? 0} outbound payments (always carried: each agent's daily budget counts them)`,
      ],
    },
    {
      name: "credentials",
      included: includeCredentials,
      notes: includeCredentials
        ? [`admin password and ${counts.apiToken ?? 0} API token hashes`]
        : ["not included: the target box keeps its own password and tokens (--include-credentials to carry them)"],
    },
    {
      name: "payments",
      included: options.includePayments,
      notes: options.includePayments
        ? [`${counts.payment ?? 0} payment rows`]
        : ["not included: pass --include-payments"],
    },
  ];
  entries.push({
    name: bundleEntries.ledger,
    type: "file",
    data: Buffer.from(JSON.stringify({ tables: { ...snapshot, payment: undefined } })),
  });
  if (options.includePayments) {
    progress(`writing ${counts.payment ?? 0} payments`);
    entries.push({
      name: bundleEntries.payments,
      type: "file",
      data: Buffer.from(JSON.stringify({ rows: snapshot.payment ?? [] })),
    });
  }

  if (options.passphrase) {
    progress("sealing secrets (scrypt + AES-256-GCM)");
    const secrets = await readAllSecrets(ledger.db, ledger.masterKey);
    const sealed = await sealWithPassphrase(JSON.stringify(secrets), options.passphrase);
    entries.push({ name: bundleEntries.secrets, type: "file", data: Buffer.from(JSON.stringify(sealed)) });
    components.push({
      name: "secrets",
      included: true,
      notes: [`${Object.keys(secrets).length} secrets, sealed with the passphrase`],
    });
  } else {
    components.push({
      name: "secrets",
      included: false,
      notes: ["not included: pass --passphrase-file to carry keys (devnet accounts, signers, provider keys)"],
    });
  }

  const devnet = devnetPaths(options.home);
  // A running devnet is asked for its state now: the file it dumps every few seconds may lag the ledger.
  const liveState = await dumpRunningDevnetState(devnet);
  if (liveState || existsSync(devnet.stateFile)) {
    entries.push({ name: bundleEntries.devnetState, type: "file", data: liveState ?? readFileSync(devnet.stateFile) });
    components.push({
      name: "devnet",
      included: true,
      notes: [
        "devnet chain state: contracts, balances, agent ids",
        liveState ? "read from the running devnet" : "read from the devnet's state file",
      ],
    });
  } else {
    components.push({ name: "devnet", included: false, notes: ["no devnet state in this home"] });
  }

  const manifest: BundleManifest = {
    version: bundleVersion,
    tollgateVersion,
    createdAt: new Date().toISOString(),
    components,
  };
  entries.unshift({ name: bundleEntries.manifest, type: "file", data: Buffer.from(JSON.stringify(manifest, null, 2)) });
  progress("compressing");
  const archive = createTarGz(entries);
  return { archive, summary: { manifest, bytes: archive.length, counts } };
}
