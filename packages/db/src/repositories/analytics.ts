import type {
  AnalyticsRepository,
  FunnelCountRow,
  OfferRollup,
  PayerTotal,
  RevenueBucket,
  SpendRow,
} from "@tollgate/core/analytics/index";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

const deliveryColumns = [
  "deliveryLe100",
  "deliveryLe250",
  "deliveryLe500",
  "deliveryLe1000",
  "deliveryLe2500",
  "deliveryLe5000",
  "deliveryLe10000",
  "deliveryInf",
] as const;
const settlementColumns = deliveryColumns.map((c) => c.replace("delivery", "settlement"));

/** `SUM("col")::int8 AS "col"` for each column (identifiers are constants above, never input). */
const sumColumns = (columns: readonly string[]) =>
  Prisma.raw(columns.map((c) => `SUM(h."${c}")::int8 AS "${c}"`).join(", "));

const byOfferName = (offerName: string | undefined) =>
  offerName ? Prisma.sql`AND o."name" = ${offerName}` : Prisma.empty;

type Int8 = bigint | number;

/** The rollup tables of a grain (constants, never input). */
const tables = {
  hour: {
    rollup: Prisma.raw(`"AnalyticsHourly"`),
    failures: Prisma.raw(`"AnalyticsFailureHourly"`),
    at: Prisma.raw(`"hour"`),
  },
  day: {
    rollup: Prisma.raw(`"AnalyticsDaily"`),
    failures: Prisma.raw(`"AnalyticsFailureDaily"`),
    at: Prisma.raw(`"day"`),
  },
} as const;
const num = (value: Int8 | null) => Number(value ?? 0);

/** The day ranges kept as payer windows (the admin's 7 d and 30 d). */
const payerWindows = [7, 30];

/**
 * Brings the `days` payer window to start at `start`: built from the daily rollup the first time (or when the
 * start moved back), else the days that left it are subtracted. The state row's lock serialises movers.
 */
async function movePayerWindow(db: Db, days: number, start: Date): Promise<void> {
  // Nearly every read finds its window current: one plain read then, with no transaction, row lock or commit.
  const [state] = await db.$queryRaw<{ current: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "AnalyticsPayerWindowState" WHERE "windowDays" = ${days} AND "startDay" = ${start}::date)
       AND EXISTS (SELECT 1 FROM "AnalyticsPayerWindow" WHERE "windowDays" = ${days}) AS "current"`;
  if (state?.current) return;
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO "AnalyticsPayerWindowState" ("windowDays", "startDay")
                         VALUES (${days}, ${start}::date) ON CONFLICT DO NOTHING`;
    const [state] = await tx.$queryRaw<{ startDay: Date; built: boolean }[]>`
      SELECT "startDay", EXISTS (SELECT 1 FROM "AnalyticsPayerWindow" WHERE "windowDays" = ${days}) AS "built"
        FROM "AnalyticsPayerWindowState" WHERE "windowDays" = ${days} FOR UPDATE`;
    if (!state) return;
    const current = state.startDay.getTime();
    if (current === start.getTime() && state.built) return;
    if (current < start.getTime() && state.built) {
      await tx.$executeRaw`
        UPDATE "AnalyticsPayerWindow" w
           SET "payments" = w."payments" - d."payments", "amount" = w."amount" - d."amount"
          FROM (SELECT "chain", "asset", "payer", SUM("payments")::int AS "payments", SUM("amount") AS "amount"
                  FROM "AnalyticsPayerDaily" WHERE "day" >= ${state.startDay}::date AND "day" < ${start}::date
                 GROUP BY 1, 2, 3) d
         WHERE w."windowDays" = ${days} AND w."chain" = d."chain" AND w."asset" = d."asset" AND w."payer" = d."payer"`;
      await tx.$executeRaw`DELETE FROM "AnalyticsPayerWindow" WHERE "windowDays" = ${days} AND "payments" <= 0`;
    } else {
      await tx.$executeRaw`DELETE FROM "AnalyticsPayerWindow" WHERE "windowDays" = ${days}`;
      await tx.$executeRaw`
        INSERT INTO "AnalyticsPayerWindow" ("windowDays", "chain", "asset", "payer", "testnet", "payments", "amount")
        SELECT ${days}, "chain", "asset", "payer", bool_or("testnet"), SUM("payments")::int, SUM("amount")
          FROM "AnalyticsPayerDaily" WHERE "day" >= ${start}::date
         GROUP BY 2, 3, 4 HAVING SUM("payments") > 0`;
    }
    await tx.$executeRaw`UPDATE "AnalyticsPayerWindowState" SET "startDay" = ${start}::date WHERE "windowDays" = ${days}`;
  });
}

/** The analytics rollups over Postgres (kept by the Payment trigger and the flushed gateway counters). */
export function createAnalyticsRepository({ db }: { db: Db }): AnalyticsRepository & {
  /** Recomputes the payment-derived rollups from the payment rows (after a bulk load with the trigger off). */
  rebuild(): Promise<void>;
} {
  return {
    async sumByOffer({ from, grain, offerName }) {
      const { rollup, at } = tables[grain];
      const rows = await db.$queryRaw<Record<string, Int8 | string | boolean | Date | null>[]>`
        SELECT o."name" AS "offer", h."chain", h."asset", bool_or(h."testnet") AS "testnet",
               SUM(h."challenges")::int8 AS "challenges", SUM(h."refused")::int8 AS "refused",
               SUM(h."verified")::int8 AS "verified", SUM(h."settled")::int8 AS "settled",
               SUM(h."settledAmount")::text AS "settledAmount", SUM(h."failed")::int8 AS "failed",
               SUM(h."upstreamFailures")::int8 AS "upstreamFailures",
               MAX(h."lastSettledAt") FILTER (WHERE h."settled" > 0) AS "lastSettledAt",
               ${sumColumns(deliveryColumns)}, ${sumColumns(settlementColumns)}
          FROM ${rollup} h JOIN "Offer" o ON o."id" = h."offerId"
         WHERE h.${at} >= ${from} ${byOfferName(offerName)}
         GROUP BY o."name", h."chain", h."asset"
         ORDER BY o."name", h."chain", h."asset"`;
      return rows.map(
        (row): OfferRollup => ({
          offer: String(row.offer),
          chain: String(row.chain),
          asset: String(row.asset),
          testnet: row.testnet === true,
          challenges: num(row.challenges as Int8),
          refused: num(row.refused as Int8),
          verified: num(row.verified as Int8),
          settled: num(row.settled as Int8),
          settledAmount: String(row.settledAmount ?? "0"),
          failed: num(row.failed as Int8),
          upstreamFailures: num(row.upstreamFailures as Int8),
          lastSettledAt: row.lastSettledAt instanceof Date ? row.lastSettledAt : null,
          delivery: deliveryColumns.map((c) => num(row[c] as Int8)),
          settlement: settlementColumns.map((c) => num(row[c] as Int8)),
        }),
      );
    },

    async revenueSeries({ from, grain, offerName }) {
      const { rollup, at } = tables[grain];
      const rows = await db.$queryRaw<
        { t: Date; chain: string; asset: string; testnet: boolean; payments: Int8; amount: string }[]
      >`
        SELECT h.${at} AS "t", h."chain", h."asset", bool_or(h."testnet") AS "testnet",
               SUM(h."settled")::int8 AS "payments", SUM(h."settledAmount")::text AS "amount"
          FROM ${rollup} h JOIN "Offer" o ON o."id" = h."offerId"
         WHERE h.${at} >= ${from} AND h."settled" <> 0 ${byOfferName(offerName)}
         GROUP BY 1, h."chain", h."asset"
         ORDER BY 1, h."chain", h."asset"`;
      return rows.map((row): RevenueBucket => ({ ...row, payments: num(row.payments) }));
    },

    async failures({ from, grain, offerName }) {
      const { failures, at } = tables[grain];
      const rows = await db.$queryRaw<{ stage: string; reason: string; count: Int8 }[]>`
        SELECT f."stage", f."reason", SUM(f."count")::int8 AS "count"
          FROM ${failures} f JOIN "Offer" o ON o."id" = f."offerId"
         WHERE f.${at} >= ${from} ${byOfferName(offerName)}
         GROUP BY f."stage", f."reason"
        HAVING SUM(f."count") > 0`;
      return rows.map((row) => ({
        stage: row.stage === "refused" ? ("refused" as const) : ("payment" as const),
        reason: row.reason,
        count: num(row.count),
      }));
    },

    async topPayers({ from, limit, days, offerName }) {
      type Row = { payer: string; chain: string; asset: string; testnet: boolean; payments: Int8; amount: string };
      const dayAligned = from.getTime() % 86_400_000 === 0;
      let rows: Row[];
      if (dayAligned && !offerName && days !== undefined && payerWindows.includes(days)) {
        // The last 7 or 30 days: a window kept per payer, read through its (windowDays, amount) index.
        await movePayerWindow(db, days, from);
        rows = await db.$queryRaw<Row[]>`
          SELECT "payer", "chain", "asset", "testnet", "payments"::int8 AS "payments", "amount"::text AS "amount"
            FROM "AnalyticsPayerWindow"
           WHERE "windowDays" = ${days} AND "payments" > 0
           ORDER BY "AnalyticsPayerWindow"."amount" DESC, "payer"
           LIMIT ${limit}`;
      } else if (dayAligned && !offerName) {
        // Other whole-day ranges: summed from the per-payer daily rollup.
        rows = await db.$queryRaw<Row[]>`
          SELECT "payer", "chain", "asset", bool_or("testnet") AS "testnet",
                 SUM("payments")::int8 AS "payments", SUM("amount") AS "sum", SUM("amount")::text AS "amount"
            FROM "AnalyticsPayerDaily"
           WHERE "day" >= ${from}::date
           GROUP BY "payer", "chain", "asset"
           ORDER BY "sum" DESC, "payer"
           LIMIT ${limit}`;
      } else {
        // An hour range, or one offer's payers: the settled rows of that range, read from the (state, createdAt,
        // …) or (offerId, createdAt, …) index alone (payer, chain, asset, amount and testnet ride in both).
        const offerIds = offerName
          ? (await db.offer.findMany({ where: { name: offerName }, select: { id: true } })).map((o) => o.id)
          : null;
        rows =
          offerIds?.length === 0
            ? []
            : await db.$queryRaw<Row[]>`
          SELECT p."payer", p."chain", p."asset", bool_or(p."testnet") AS "testnet",
                 COUNT(*)::int8 AS "payments", SUM(p."amount") AS "sum", SUM(p."amount")::text AS "amount"
            FROM "Payment" p
           WHERE p."state" = 'settled'::"PaymentState" AND p."createdAt" >= ${from}
                 ${offerIds ? Prisma.sql`AND p."offerId" = ANY(${offerIds}::text[])` : Prisma.empty}
           GROUP BY p."payer", p."chain", p."asset"
           ORDER BY "sum" DESC, p."payer"
           LIMIT ${limit}`;
      }
      return rows.map(
        (row): PayerTotal => ({
          payer: row.payer,
          chain: row.chain,
          asset: row.asset,
          testnet: row.testnet,
          payments: num(row.payments),
          amount: row.amount,
        }),
      );
    },

    async outboundSpend({ from }) {
      // Bounded by the range through the (createdAt, id) index: cost grows with the range's payments only.
      const rows = await db.$queryRaw<
        { day: Date; agent: string; network: string; asset: string; payments: Int8; amount: string }[]
      >`
        SELECT date_trunc('day', p."createdAt") AS "day", a."name" AS "agent",
               COALESCE(p."network", '') AS "network", COALESCE(p."asset", '') AS "asset",
               COUNT(*)::int8 AS "payments", SUM(p."amount")::text AS "amount"
          FROM "AgentPayment" p JOIN "Agent" a ON a."id" = p."agentId"
         WHERE p."createdAt" >= ${from} AND p."state" = 'settled' AND p."direction" = 'outbound'
         GROUP BY 1, 2, 3, 4
         ORDER BY 1, 2, 3, 4`;
      return rows.map((row): SpendRow => ({ ...row, payments: num(row.payments) }));
    },

    async addFunnelCounts(rows: FunnelCountRow[]) {
      if (rows.length === 0) return;
      const dayOf = (hour: Date) => new Date(Math.floor(hour.getTime() / 86_400_000) * 86_400_000);
      const writes = (["hour", "day"] as const).flatMap((grain) => {
        const { rollup, failures, at } = tables[grain];
        // Several hours of one day are one daily row: merged first (one upsert may not touch a row twice).
        const merged = new Map<string, FunnelCountRow>();
        for (const r of rows) {
          const bucket = grain === "hour" ? r.hour : dayOf(r.hour);
          const key = `${r.offerId}|${r.chain}|${r.asset}|${bucket.getTime()}`;
          const into = merged.get(key) ?? { ...r, hour: bucket, challenges: 0, refused: 0, reasons: {} };
          into.challenges += r.challenges;
          into.refused += r.refused;
          for (const [reason, n] of Object.entries(r.reasons)) into.reasons[reason] = (into.reasons[reason] ?? 0) + n;
          merged.set(key, into);
        }
        const counts = [...merged.values()].map(
          (r) =>
            Prisma.sql`(${r.offerId}, ${r.chain}, ${r.asset}, ${r.hour}, ${r.testnet}, ${r.challenges}::int, ${r.refused}::int)`,
        );
        // Reasons are keyed without the asset: merged again per (offer, chain, bucket, reason).
        const reasonCounts = new Map<string, { r: FunnelCountRow; reason: string; count: number }>();
        for (const r of merged.values()) {
          for (const [reason, count] of Object.entries(r.reasons)) {
            const key = `${r.offerId}|${r.chain}|${r.hour.getTime()}|${reason}`;
            const into = reasonCounts.get(key) ?? { r, reason, count: 0 };
            into.count += count;
            reasonCounts.set(key, into);
          }
        }
        const reasons = [...reasonCounts.values()].map(
          ({ r, reason, count }) =>
            Prisma.sql`(${r.offerId}, ${r.chain}, ${r.hour}, 'refused', ${reason}, ${count}::int)`,
        );
        return [
          db.$executeRaw`
            INSERT INTO ${rollup} ("offerId", "chain", "asset", ${at}, "testnet", "challenges", "refused")
            VALUES ${Prisma.join(counts)}
            ON CONFLICT ("offerId", "chain", "asset", ${at}) DO UPDATE
               SET "challenges" = ${rollup}."challenges" + EXCLUDED."challenges",
                   "refused" = ${rollup}."refused" + EXCLUDED."refused"`,
          ...(reasons.length > 0
            ? [
                db.$executeRaw`
                  INSERT INTO ${failures} ("offerId", "chain", ${at}, "stage", "reason", "count")
                  VALUES ${Prisma.join(reasons)}
                  ON CONFLICT ("offerId", "chain", ${at}, "stage", "reason") DO UPDATE
                     SET "count" = ${failures}."count" + EXCLUDED."count"`,
              ]
            : []),
        ];
      });
      await db.$transaction(writes);
    },

    async rebuild() {
      await db.$transaction([
        db.$executeRaw`SELECT "analytics_rebuild"()`,
        // Payer windows are rebuilt from the daily rollup by the next query that needs them.
        db.$executeRaw`DELETE FROM "AnalyticsPayerWindowState"`,
        db.$executeRaw`DELETE FROM "AnalyticsPayerWindow"`,
      ]);
    },
  };
}
