import { createHash } from "node:crypto";
import type { Db } from "../prisma-client.ts";
import { decryptSecret, encryptSecret } from "../repositories/secret-store.ts";

/** The ledger tables a bundle carries, in insert order (parents first). Conditions are derived, sessions are not moved. */
export const snapshotTables = [
  "setting",
  "agent",
  "agentIdentity",
  // Outbound payments always travel: they are what each agent's rolling daily budget counts.
  "agentPayment",
  "provider",
  "model",
  "rpcUpstream",
  "identity",
  "offer",
  "apiToken",
  "adminUser",
  "auditEvent",
] as const;
export type SnapshotTable = (typeof snapshotTables)[number] | "payment";

export type SnapshotRow = Record<string, unknown>;

/** Columns the ledger derives itself (kept by triggers): never carried, recomputed on import. */
const derivedColumns: Partial<Record<string, readonly string[]>> = { offer: ["searchText", "operationallyReady"] };

function withoutDerived(table: string, row: SnapshotRow): SnapshotRow {
  const derived = derivedColumns[table];
  if (!derived) return row;
  return Object.fromEntries(Object.entries(row).filter(([key]) => !derived.includes(key)));
}
export type LedgerSnapshot = Partial<Record<SnapshotTable, SnapshotRow[]>>;

const dateFields = new Set([
  "createdAt",
  "updatedAt",
  "drainAt",
  "deletedAt",
  "lastUsedAt",
  "revokedAt",
  "nextAttemptAt",
  "settledAt",
  "lastTransitionTime",
  "expiresAt",
]);

/** The part of a Prisma model delegate the snapshot uses: one generic path over every table. */
interface Delegate {
  findMany(args?: object): Promise<SnapshotRow[]>;
  createMany(args: { data: SnapshotRow[] }): Promise<unknown>;
  deleteMany(args?: object): Promise<unknown>;
  count(): Promise<number>;
}
const delegate = (db: unknown, table: string) => (db as Record<string, Delegate>)[table] as Delegate;

function toJsonRow(row: SnapshotRow): SnapshotRow {
  const out: SnapshotRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) out[key] = value.toISOString();
    else if (value !== null && typeof value === "object" && "toFixed" in value && typeof value.toFixed === "function") {
      out[key] = (value as { toFixed(): string }).toFixed(); // Prisma Decimal: exact digits
    } else out[key] = value;
  }
  return out;
}

function fromJsonRow(row: SnapshotRow): SnapshotRow {
  const out: SnapshotRow = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = dateFields.has(key) && typeof value === "string" ? new Date(value) : value;
  }
  return out;
}

/** Reads the tables a bundle carries as JSON-safe rows (dates as RFC 3339, decimals as digit strings). */
export async function readLedgerSnapshot(db: Db, options: { includePayments: boolean }): Promise<LedgerSnapshot> {
  const snapshot: LedgerSnapshot = {};
  for (const table of snapshotTables) {
    snapshot[table] = (
      await delegate(db, table)
        .findMany({ orderBy: { createdAt: "asc" } })
        .catch(() => delegate(db, table).findMany())
    ).map((row) => toJsonRow(withoutDerived(table, row)));
  }
  if (options.includePayments) {
    snapshot.payment = (await delegate(db, "payment").findMany({ orderBy: { createdAt: "asc" } })).map(toJsonRow);
  }
  return snapshot;
}

/** Row counts per table: what the dry run compares. */
export async function countLedgerRows(db: Db): Promise<Record<SnapshotTable | "secret", number>> {
  const counts = {} as Record<SnapshotTable | "secret", number>;
  for (const table of [...snapshotTables, "payment", "secret"] as const)
    counts[table] = await delegate(db, table).count();
  return counts;
}

/** True when the ledger holds anything a seller made (offers, payments, identities, agents, models). */
export async function ledgerHasContent(db: Db): Promise<boolean> {
  const counts = await countLedgerRows(db);
  return counts.offer + counts.payment + counts.identity + counts.agent + counts.provider + counts.model > 0;
}

/**
 * Replaces the ledger with the snapshot in ONE transaction: everything is applied or nothing.
 * Secrets arrive as plaintext and are sealed with this box's master key inside the transaction.
 */
export async function replaceLedger(
  db: Db,
  input: { snapshot: LedgerSnapshot; secrets: Record<string, string> | null; masterKey: Buffer },
): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const deleteOrder = [
        "payment",
        "offerCondition",
        "offer",
        "agentIdentity",
        "agentPayment",
        "agent",
        "model",
        "provider",
        "rpcUpstream",
        "identity",
        "setting",
        "apiToken",
        "adminSession",
        "adminUser",
        "auditEvent",
      ];
      for (const table of deleteOrder) await delegate(tx, table).deleteMany({});
      if (input.secrets) await delegate(tx, "secret").deleteMany({});
      for (const table of [...snapshotTables, "payment"] as const) {
        const rows = input.snapshot[table];
        if (rows?.length)
          await delegate(tx, table).createMany({ data: rows.map((row) => fromJsonRow(withoutDerived(table, row))) });
      }
      if (input.secrets) {
        const data = Object.entries(input.secrets).map(([name, value]) => ({
          name,
          ciphertext: encryptSecret(input.masterKey, name, value),
        }));
        if (data.length) await delegate(tx, "secret").createMany({ data });
      }
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** A checksum over every ledger table's rows (tests prove a refused import changed nothing). */
export async function ledgerChecksum(db: Db): Promise<string> {
  const hash = createHash("sha256");
  for (const table of [...snapshotTables, "payment", "secret", "offerCondition"]) {
    const rows = await delegate(db, table)
      .findMany({ orderBy: { id: "asc" } })
      .catch(() => delegate(db, table).findMany({ orderBy: { key: "asc" } }));
    hash.update(table).update(JSON.stringify(rows.map(toJsonRow)));
  }
  return hash.digest("hex");
}

/** Every secret in plaintext, for a passphrase-sealed export. Never log or return this to a client. */
export async function readAllSecrets(db: Db, masterKey: Buffer): Promise<Record<string, string>> {
  const rows = await db.secret.findMany({ orderBy: { name: "asc" } });
  return Object.fromEntries(rows.map((row) => [row.name, decryptSecret(masterKey, row.name, row.ciphertext)]));
}
