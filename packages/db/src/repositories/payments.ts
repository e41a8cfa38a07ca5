import { pendingPaymentStates } from "@tollgate/core/gateway/index";
import type { PaymentRepository, PaymentSummary, PaymentUpdate, RevenueAggregate } from "@tollgate/core/payments/index";
import type { Prisma } from "../generated/prisma/client.ts";
import { to as copyTo } from "pg-copy-streams";
import { readCopyBinaryColumn } from "../copy-binary-column.ts";
import { type Db, pgPoolOf } from "../prisma-client.ts";
import { createCoalescedPaymentWrites } from "./coalesced-payment-writes.ts";

type PaymentRow = Prisma.PaymentGetPayload<{ include: { offer: { select: { name: true } } } }>;

function toSummary(row: PaymentRow): PaymentSummary {
  return {
    id: row.id,
    offerId: row.offerId,
    offerName: row.offer.name,
    offerGeneration: row.offerGeneration,
    chain: row.chain,
    network: row.network,
    testnet: row.testnet,
    asset: row.asset,
    amount: row.amount.toFixed(0),
    payer: row.payer,
    payTo: row.payTo,
    nonce: row.nonce,
    x402Version: row.x402Version,
    requestMethod: row.requestMethod,
    requestPath: row.requestPath,
    upstreamStatus: row.upstreamStatus,
    latencyMs: row.latencyMs,
    facilitator: row.facilitator,
    txHash: row.txHash,
    state: row.state,
    reason: row.reason,
    message: row.message,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    settledAt: row.settledAt,
    scheme: row.scheme,
    maxAmount: row.maxAmount === null ? null : row.maxAmount.toFixed(0),
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    totalTokens: row.totalTokens,
  };
}

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  return id && !Number.isNaN(createdAt.getTime()) ? { createdAt, id } : null;
}

/** A value as a CSV cell in SQL, exactly as `renderPaymentCsvLine` writes it (NULL → empty; a leading
 * =,+,-,@ neutralised with a quote; quoted when it holds a quote, comma or line break). */
function csvCell(expr: string): string {
  const safe = `CASE WHEN ${expr} ~ '^[=+@-]' THEN '''' || ${expr} ELSE ${expr} END`;
  return String.raw`CASE WHEN ${expr} IS NULL THEN '' WHEN ${expr} ~ '[",
]' THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END`;
}

const isoMillis = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The CSV columns (see render-payments-csv.ts) as one text expression over `p` (Payment) and `o` (Offer). */
const csvLineSql = `${[
  `p."id"`,
  `to_char(p."createdAt", ${isoMillis})`,
  `to_char(p."settledAt", ${isoMillis})`,
  `o."name"`,
  `p."chain"`,
  `p."network"`,
  `p."testnet"::text`,
  `p."asset"`,
  `p."amount"::text`,
  `p."payer"`,
  `p."payTo"`,
  `p."state"::text`,
  `p."reason"`,
  `p."requestMethod"`,
  `p."requestPath"`,
  `p."upstreamStatus"::text`,
  `p."latencyMs"::text`,
  `p."txHash"`,
]
  .map(csvCell)
  .join(` || ',' || `)} || E'\\r\\n'`;

/** The payments ledger over Postgres: one row per paid request; (network, payer, nonce) is unique. */
export function createPaymentRepository({
  db,
  replica,
}: {
  db: Db;
  /** This server process among replicas on one ledger: stamped on every row it takes (SPEC §15 recovery). */
  replica?: string;
}): PaymentRepository & {
  /** The same sums computed from the payment rows themselves (checks the rollup; slow on big ledgers). */
  aggregateSettledFromRows(): Promise<RevenueAggregate[]>;
} {
  /**
   * The offer's ids first, so the planner walks that offer's (offerId, createdAt, id) index: with other
   * filters that match little, a join would walk the whole ledger in time order instead.
   */
  const coalesced = createCoalescedPaymentWrites({ db, ...(replica ? { replica } : {}) });

  async function offerIdsNamed(offerName: string | undefined): Promise<string[] | null> {
    if (!offerName) return null;
    return (await db.offer.findMany({ where: { name: offerName }, select: { id: true } })).map((o) => o.id);
  }

  return {
    // Rows of one tick (verifications answered together) share one INSERT; transitions of one tick (a
    // settlement batch's rows) share one UPDATE.
    insertVerified: coalesced.insertVerified,
    transition: coalesced.transition,

    async annotatePending(id: string, update: PaymentUpdate) {
      const result = await db.payment.updateMany({
        where: { id, state: { in: [...pendingPaymentStates] } },
        data: update,
      });
      return result.count === 1;
    },

    async list({ offerName, state, chain, payer, from, to, limit, cursor }) {
      const after = cursor ? decodeCursor(cursor) : null;
      const offerIds = await offerIdsNamed(offerName);
      const where: Prisma.PaymentWhereInput[] = [
        ...(offerIds ? [{ offerId: { in: offerIds } }] : []),
        ...(state ? [{ state }] : []),
        ...(chain ? [{ chain }] : []),
        ...(payer ? [{ payer }] : []),
        ...(from ? [{ createdAt: { gte: from } }] : []),
        ...(to ? [{ createdAt: { lt: to } }] : []),
        // Bounded by `createdAt <= cursor` (an index condition), then the ties at that instant by id.
        ...(after
          ? [
              { createdAt: { lte: after.createdAt } },
              { OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] },
            ]
          : []),
      ];
      const orderBy: Prisma.PaymentOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];
      const include = { offer: { select: { name: true } } };
      // One column filtered by equality (or none): its index (or (createdAt, id)) yields matching rows only,
      // in page order. Two or more: the page's keys first, from an index-only scan (the Payment indexes carry
      // the other filter columns after (createdAt, id)), so entries that fail a filter are skipped inside the
      // index and a combination that matches nothing never visits the rows; then only those rows are read.
      const combined = [offerIds, state, chain, payer].filter(Boolean).length > 1;
      const rows = combined
        ? await db.payment
            .findMany({ where: { AND: where }, select: { id: true }, orderBy, take: limit + 1 })
            .then((keys) =>
              keys.length === 0
                ? []
                : db.payment.findMany({ where: { id: { in: keys.map((k) => k.id) } }, include, orderBy }),
            )
        : await db.payment.findMany({ where: { AND: where }, include, orderBy, take: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { payments: page.map(toSummary), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    async *csvChunks({ offerName, state, chain, payer, from, to }) {
      const offerIds = await offerIdsNamed(offerName);
      if (offerIds?.length === 0) return;
      // One COPY of lines formatted by Postgres, read straight off the socket: the bytes go from the
      // connection to the caller without a row object or a JS string per row, and the next bytes are read
      // only when the caller asks (backpressure reaches the database). COPY takes no bind parameters, so
      // the (already validated) filter values are escaped as literals by the driver.
      const client = await pgPoolOf(db).connect();
      const literal = (value: string) => client.escapeLiteral(value);
      const utc = (date: Date) => `(${literal(date.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
      const filters = [
        ...(offerIds ? [`p."offerId" = ANY(ARRAY[${offerIds.map(literal).join(", ")}]::text[])`] : []),
        ...(state ? [`p."state" = ${literal(state)}::"PaymentState"`] : []),
        ...(chain ? [`p."chain" = ${literal(chain)}`] : []),
        ...(payer ? [`p."payer" = ${literal(payer)}`] : []),
        ...(from ? [`p."createdAt" >= ${utc(from)}`] : []),
        ...(to ? [`p."createdAt" < ${utc(to)}`] : []),
      ];
      let finished = false;
      try {
        const stream = client.query(
          copyTo(`COPY (SELECT ${csvLineSql}
                          FROM "Payment" p JOIN "Offer" o ON o."id" = p."offerId"
                          ${filters.length > 0 ? `WHERE ${filters.join(" AND ")}` : ""}
                         ORDER BY p."createdAt" DESC, p."id" DESC) TO STDOUT (FORMAT binary)`),
        );
        yield* readCopyBinaryColumn(stream);
        finished = true;
      } finally {
        // A COPY left half-read (the caller went away) leaves the connection mid-protocol: it is closed, not reused.
        client.release(!finished);
      }
    },

    async offerActivity({ offerName, since }) {
      type Line = { chain: string; testnet: boolean; asset: string; payments: number; amount: string };
      // Aggregated in SQL over every settled row of the offers with that name (index: offerId, createdAt).
      const totals = await db.$queryRaw<(Line & { last: Date | null })[]>`
        SELECT p."chain", p."testnet", p."asset", COUNT(*)::int AS "payments", SUM(p."amount")::text AS "amount",
               MAX(COALESCE(p."settledAt", p."createdAt")) AS "last"
          FROM "Payment" p JOIN "Offer" o ON o."id" = p."offerId"
         WHERE o."name" = ${offerName} AND p."state" = 'settled'::"PaymentState"
         GROUP BY p."chain", p."testnet", p."asset"
         ORDER BY p."chain", p."asset"`;
      const byDay = await db.$queryRaw<(Line & { day: string })[]>`
        SELECT to_char(date_trunc('day', p."createdAt"), 'YYYY-MM-DD') AS "day", p."chain", p."testnet", p."asset",
               COUNT(*)::int AS "payments", SUM(p."amount")::text AS "amount"
          FROM "Payment" p JOIN "Offer" o ON o."id" = p."offerId"
         WHERE o."name" = ${offerName} AND p."state" = 'settled'::"PaymentState" AND p."createdAt" >= ${since}
         GROUP BY 1, p."chain", p."testnet", p."asset"
         ORDER BY 1, p."chain", p."asset"`;
      const last = totals.reduce<Date | null>((a, t) => (t.last && (!a || t.last > a) ? t.last : a), null);
      return {
        lastSettledAt: last ? last.toISOString() : null,
        totals: totals.map(({ last: _last, ...line }) => ({ ...line, payments: Number(line.payments) })),
        byDay: byDay.map((line) => ({ ...line, payments: Number(line.payments) })),
      };
    },

    async aggregateSettled(): Promise<RevenueAggregate[]> {
      // The rollup the Payment trigger keeps (one row per chain and asset), not a scan of the payments.
      const rows = await db.paymentRevenue.findMany({ where: { payments: { gt: 0 } } });
      return rows.map((row) => ({
        chain: row.chain,
        network: row.network,
        testnet: row.testnet,
        asset: row.asset,
        payments: row.payments,
        amount: row.amount.toFixed(0),
      }));
    },

    async aggregateSettledFromRows(): Promise<RevenueAggregate[]> {
      const rows = await db.$queryRaw<
        { chain: string; network: string; testnet: boolean; asset: string; payments: number; amount: string }[]
      >`SELECT "chain", "network", "testnet", "asset", COUNT(*)::int AS "payments", SUM("amount")::text AS "amount"
          FROM "Payment" WHERE "state" = 'settled'::"PaymentState"
          GROUP BY "chain", "network", "testnet", "asset"`;
      return rows.map((row) => ({ ...row, payments: Number(row.payments) }));
    },

    async listPending({ states = pendingPaymentStates, limit = 1_000, exceptReplicas = [] } = {}) {
      return db.payment.findMany({
        where: {
          state: { in: [...states] },
          ...(exceptReplicas.length ? { OR: [{ replica: null }, { replica: { notIn: [...exceptReplicas] } }] } : {}),
        },
        select: {
          id: true,
          state: true,
          txHash: true,
          chain: true,
          network: true,
          asset: true,
          payer: true,
          nonce: true,
          createdAt: true,
        },
        orderBy: { createdAt: "asc" },
        take: limit,
      });
    },
  };
}
