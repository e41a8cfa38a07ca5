import { type PaymentState, paymentStatesBefore } from "@tollgate/core/gateway/index";
import type { PaymentUpdate } from "@tollgate/core/payments/index";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

/** The columns a transition may set, with the SQL type each VALUES cell is cast to. */
const columnTypes: Record<keyof PaymentUpdate, string> = {
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

interface Pending {
  id: string;
  update: PaymentUpdate;
  resolve(moved: boolean): void;
  reject(error: unknown): void;
}

/** A row's value for one column as a typed SQL cell (timestamps in UTC, as Prisma stores `DateTime`). */
function cell(column: keyof PaymentUpdate, value: unknown): Prisma.Sql {
  const type = Prisma.raw(columnTypes[column]);
  if (value === null || value === undefined) return Prisma.sql`NULL::${type}`;
  if (value instanceof Date) return Prisma.sql`(${value.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  return Prisma.sql`${typeof value === "number" ? value : String(value)}::${type}`;
}

/**
 * Payment transitions issued in the same tick with the same target state and the same columns leave as ONE
 * `UPDATE … FROM (VALUES …)` statement: a settlement batch moves all its rows to `delivered` (then `settled`)
 * at once, so the ledger costs one round trip and one commit per batch instead of one per payment. Each caller
 * still learns whether its own row moved (`RETURNING id`); a single transition is sent as it is.
 */
export function createCoalescedTransitions({ db }: { db: Db }) {
  const groups = new Map<string, { to: PaymentState; columns: (keyof PaymentUpdate)[]; rows: Pending[] }>();
  let scheduled = false;

  async function one(to: PaymentState, { id, update }: Pending): Promise<boolean> {
    const result = await db.payment.updateMany({
      where: { id, state: { in: paymentStatesBefore(to) } },
      data: { ...update, state: to },
    });
    return result.count === 1;
  }

  async function many(to: PaymentState, columns: (keyof PaymentUpdate)[], rows: Pending[]): Promise<Set<string>> {
    const names = ["id", ...columns].map((column) => Prisma.raw(`"${column}"`));
    const values = rows.map(
      (row) =>
        Prisma.sql`(${Prisma.join([Prisma.sql`${row.id}::text`, ...columns.map((c) => cell(c, row.update[c]))])})`,
    );
    const assignments = columns.map((column) => Prisma.raw(`"${column}" = v."${column}"`));
    const moved: { id: string }[] = await db.$queryRaw`
      UPDATE "Payment" AS p
         SET ${Prisma.join(
           [
             Prisma.sql`"state" = ${to}::"PaymentState"`,
             Prisma.sql`"updatedAt" = (now() AT TIME ZONE 'UTC')`,
             ...assignments,
           ],
           ", ",
         )}
        FROM (VALUES ${Prisma.join(values)}) AS v(${Prisma.join(names)})
       WHERE p."id" = v."id" AND p."state"::text = ANY(${paymentStatesBefore(to)}::text[])
   RETURNING p."id"`;
    return new Set(moved.map((row) => row.id));
  }

  async function send(to: PaymentState, columns: (keyof PaymentUpdate)[], rows: Pending[]): Promise<void> {
    // The same row twice in one statement would be updated once but reported moved twice: later ones wait.
    const seen = new Set<string>();
    const now: Pending[] = [];
    const later: Pending[] = [];
    for (const row of rows) (seen.has(row.id) ? later : now).push(row);
    seen.clear();
    try {
      if (now.length === 1) {
        const [row] = now as [Pending];
        row.resolve(await one(to, row));
      } else {
        const moved = await many(to, columns, now);
        for (const row of now) row.resolve(moved.has(row.id));
      }
    } catch (error) {
      for (const row of now) row.reject(error);
    }
    if (later.length > 0) await send(to, columns, later);
  }

  function flush(): void {
    scheduled = false;
    const batch = [...groups.values()];
    groups.clear();
    for (const { to, columns, rows } of batch) void send(to, columns, rows);
  }

  return {
    transition(id: string, to: PaymentState, update: PaymentUpdate = {}): Promise<boolean> {
      const columns = (Object.keys(update) as (keyof PaymentUpdate)[])
        .filter((column) => column in columnTypes && update[column] !== undefined)
        .sort();
      const key = `${to}|${columns.join(",")}`;
      return new Promise<boolean>((resolve, reject) => {
        let group = groups.get(key);
        if (!group) {
          group = { to, columns, rows: [] };
          groups.set(key, group);
        }
        group.rows.push({ id, update, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After this tick's microtasks: every settlement of a batch resolves in one tick and joins.
          setImmediate(flush);
        }
      });
    },
  };
}
