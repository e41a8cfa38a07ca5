import { type PaymentState, paymentStatesBefore } from "@tollgate/core/gateway/index";
import type { NewPayment, PaymentUpdate, WriteOptions } from "@tollgate/core/payments/index";
import { Prisma } from "../generated/prisma/client.ts";
import { type Db, pgPoolOf } from "../prisma-client.ts";
import { createTickBatcher } from "./tick-batcher.ts";

/** The columns a transition may set, with the SQL type each VALUES cell is cast to. */
const updateColumnTypes: Record<keyof PaymentUpdate, string> = {
  upstreamStatus: "int4",
  latencyMs: "int4",
  txHash: "text",
  reason: "text",
  message: "text",
  settledAt: "timestamptz",
  amount: "numeric",
  promptTokens: "int4",
  completionTokens: "int4",
  totalTokens: "int4",
};

/** The columns of a new row (besides id, state and the timestamps), with their SQL types. */
const insertColumnTypes: Record<keyof NewPayment, string> = {
  offerId: "text",
  offerGeneration: "int4",
  chain: "text",
  network: "text",
  testnet: "bool",
  asset: "text",
  amount: "numeric",
  payer: "text",
  payTo: "text",
  nonce: "text",
  x402Version: "int4",
  requestMethod: "text",
  requestPath: "text",
  facilitator: "text",
  scheme: "text",
  maxAmount: "numeric",
};

/** A value as a typed SQL cell (timestamps in UTC, as Prisma stores `DateTime`). */
function cell(type: string, value: unknown): Prisma.Sql {
  if (value === null || value === undefined) return Prisma.sql`NULL::${Prisma.raw(type)}`;
  if (value instanceof Date) return Prisma.sql`(${value.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const raw = typeof value === "number" || typeof value === "boolean" ? value : String(value);
  return Prisma.sql`${raw}::${Prisma.raw(type)}`;
}

const quoted = (column: string) => Prisma.raw(`"${column}"`);

/**
 * For a statement that need not wait for the WAL flush: a RETURNING column that turns `synchronous_commit` off
 * for the statement's own transaction (`set_config(…, true)` lasts until its end, and PostgreSQL reads the
 * setting when it commits). Evaluated for each row written, so a statement that wrote nothing has nothing to
 * flush anyway. One round trip, no BEGIN/SET LOCAL/COMMIT.
 */
const asyncCommit = (durable: boolean) =>
  durable ? Prisma.empty : Prisma.sql`, set_config('synchronous_commit', 'off', true) AS async_commit`;

interface Transition {
  id: string;
  to: PaymentState;
  columns: (keyof PaymentUpdate)[];
  update: PaymentUpdate;
  durable: boolean;
}

/**
 * Ledger writes issued in the same tick leave as one statement: the transitions of a settlement batch's rows
 * to `delivered` (then `settled`) as one `UPDATE … FROM (VALUES …)`, the rows of verifications answered
 * together as one multi-row `INSERT … ON CONFLICT DO NOTHING`. One round trip and one commit per group
 * instead of one per payment. Each caller still gets its own answer (moved or not; inserted or duplicate).
 */
export function createCoalescedPaymentWrites({
  db,
  replica = null,
}: {
  db: Db;
  /** The server process that takes these payments (replicas on one ledger), stamped on every new row. */
  replica?: string | null;
}) {
  /**
   * Runs one of these statements on the client's pg pool directly (text and parameters as Prisma would send
   * them): they are the ledger's hottest writes, a few per settlement batch, and Prisma's raw-query path costs
   * more CPU than the statement itself. Every value is cast in the SQL, so pg's text parameters are exact. A
   * client without its own pool (not made by createPrismaClient) goes through Prisma.
   */
  const pool = (() => {
    try {
      return pgPoolOf(db);
    } catch {
      return null;
    }
  })();
  async function run<Row>(query: Prisma.Sql): Promise<Row[]> {
    if (!pool) return db.$queryRaw<Row[]>(query);
    return (await pool.query(query.text, query.values as unknown[])).rows as Row[];
  }

  async function transitionOne({ id, to, update }: Transition): Promise<boolean> {
    const result = await db.payment.updateMany({
      where: { id, state: { in: paymentStatesBefore(to) } },
      data: { ...update, state: to },
    });
    return result.count === 1;
  }

  async function transitionMany(rows: Transition[]): Promise<Set<string>> {
    const [{ to, columns, durable }] = rows as [Transition];
    const values = rows.map(
      (row) =>
        Prisma.sql`(${Prisma.join([
          cell("text", row.id),
          ...columns.map((column) => cell(updateColumnTypes[column], row.update[column])),
        ])})`,
    );
    const moved = await run<{ id: string }>(Prisma.sql`
      UPDATE "Payment" AS p
         SET ${Prisma.join(
           [
             Prisma.sql`"state" = ${to}::"PaymentState"`,
             Prisma.sql`"updatedAt" = (now() AT TIME ZONE 'UTC')`,
             ...columns.map((column) => Prisma.sql`${quoted(column)} = v.${quoted(column)}`),
           ],
           ", ",
         )}
        FROM (VALUES ${Prisma.join(values)}) AS v(${Prisma.join(["id", ...columns].map(quoted))})
       WHERE p."id" = v."id" AND p."state"::text = ANY(${paymentStatesBefore(to)}::text[])
   RETURNING p."id"${asyncCommit(durable)}`);
    return new Set(moved.map((row) => row.id));
  }

  const transitions = createTickBatcher<Transition, boolean>(async (_key, rows) => {
    // The same row twice in one statement would move once but be reported moved twice: repeats go after.
    const first = new Map<string, number>();
    for (const [index, row] of rows.entries()) if (!first.has(row.id)) first.set(row.id, index);
    const now = rows.filter((row, index) => first.get(row.id) === index);
    const moved = await transitionMany(now);
    const results: boolean[] = [];
    for (const [index, row] of rows.entries()) {
      results.push(first.get(row.id) === index ? moved.has(row.id) : await transitionOne(row));
    }
    return results;
  });

  type Inserted = { status: "inserted"; id: string } | { status: "duplicate" };

  async function insertOne(payment: NewPayment): Promise<Inserted> {
    try {
      const row = await db.payment.create({
        data: { ...payment, amount: new Prisma.Decimal(payment.amount), state: "verified", replica },
        select: { id: true },
      });
      return { status: "inserted", id: row.id };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
        return { status: "duplicate" };
      throw error;
    }
  }

  async function insertMany(payments: NewPayment[], durable: boolean): Promise<Inserted[]> {
    const columns = Object.keys(insertColumnTypes) as (keyof NewPayment)[];
    const now = new Date();
    const ids = payments.map(() => crypto.randomUUID());
    const values = payments.map(
      (payment, index) =>
        Prisma.sql`(${Prisma.join([
          cell("text", ids[index]),
          ...columns.map((column) =>
            cell(insertColumnTypes[column], column === "scheme" ? (payment.scheme ?? "exact") : payment[column]),
          ),
          Prisma.sql`'verified'::"PaymentState"`,
          cell("text", replica),
          cell("timestamptz", now),
          cell("timestamptz", now),
        ])})`,
    );
    const inserted = await run<{ id: string }>(Prisma.sql`
      INSERT INTO "Payment" (${Prisma.join(["id", ...columns, "state", "replica", "createdAt", "updatedAt"].map(quoted))})
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("network", "payer", "nonce") DO NOTHING
      RETURNING "id"${asyncCommit(durable)}`);
    const kept = new Set(inserted.map((row) => row.id));
    return ids.map((id) => (kept.has(id) ? { status: "inserted", id } : { status: "duplicate" }));
  }

  const inserts = createTickBatcher<NewPayment, Inserted>(async (key, payments) => {
    const durable = key === "durable";
    // One SQL statement even for a lone row: raw SQL skips the ORM's query planning, a CPU cost per request.
    if (payments.length === 1) return insertMany(payments, durable);
    try {
      return await insertMany(payments, durable);
    } catch {
      // One bad row (an offer deleted meanwhile) must not fail the others: each on its own.
      return Promise.all(payments.map(insertOne));
    }
  });

  return {
    transition(
      id: string,
      to: PaymentState,
      update: PaymentUpdate = {},
      { durable = true }: WriteOptions = {},
    ): Promise<boolean> {
      const columns = (Object.keys(update) as (keyof PaymentUpdate)[])
        .filter((column) => column in updateColumnTypes && update[column] !== undefined)
        .sort();
      return transitions.add(`${to}|${columns.join(",")}|${durable ? "durable" : "async"}`, {
        id,
        to,
        columns,
        update,
        durable,
      });
    },
    insertVerified(payment: NewPayment, { durable = true }: WriteOptions = {}): Promise<Inserted> {
      return inserts.add(durable ? "durable" : "async", payment);
    },
  };
}
