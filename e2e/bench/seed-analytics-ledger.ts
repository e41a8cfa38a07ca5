// Bulk seeding of a scratch ledger for `pnpm bench:analytics`: offers, then N payments generated inside
// Postgres (no rows cross the wire), with the Payment indexes built once after the load instead of
// maintained row by row, and the rollups the per-row triggers would have kept computed in one pass.
import { performance } from "node:perf_hooks";
import type { Db } from "@tollgate/db";

export interface SeedShape {
  payments: number;
  offers: number;
  payers: number;
  days: number;
}

/** The seconds each seeding step took, in order. */
export type SeedTimings = [step: string, seconds: number][];

/** The payer address the seed gives payer number `i`. */
export const seedPayer = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;

/** The offer name the seed gives offer number `i`. */
export const seedOffer = (i: number) => `bench-${String(i).padStart(2, "0")}`;

/**
 * Seeds `shape.payments` payments over the last `shape.days` days: 70% base, 20% base-sepolia, 10% local;
 * 88% settled, the rest upstream_failed / settle_failed / abandoned; `shape.payers` payers. Stopped offers:
 * their history is what the analytics read and the reconciler has nothing to publish.
 */
export async function seedAnalyticsLedger(db: Db, shape: SeedShape): Promise<SeedTimings> {
  const timings: SeedTimings = [];
  const step = async (label: string, run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    timings.push([label, (performance.now() - t0) / 1000]);
  };
  const { payments, offers, payers, days } = shape;
  await db.$executeRawUnsafe(
    `INSERT INTO "Offer" ("id","name","liveName","type","upstreamUrl","path","chain","asset","payTo","priceAmount","state","updatedAt")
     SELECT '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), 'bench-' || lpad(i::text, 2, '0'), 'bench-' || lpad(i::text, 2, '0'),
            'http', 'http://127.0.0.1:9', '/services/bench-' || lpad(i::text, 2, '0'), 'base',
            '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', '0x0000000000000000000000000000000000000002', '0.01', 'stopped', now()
       FROM generate_series(0, ${offers - 1}) AS i`,
  );
  // The migrations' own definitions of every Payment index and constraint but the foreign keys, recreated
  // verbatim after the load (a sorted build of each index beats a million random insertions into it).
  const indexes = await db.$queryRawUnsafe<{ name: string; definition: string; isConstraint: boolean }[]>(
    `SELECT i.relname AS "name", COALESCE(pg_get_constraintdef(c.oid), pg_get_indexdef(i.oid)) AS "definition",
            c.oid IS NOT NULL AS "isConstraint"
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u')
      WHERE x.indrelid = '"Payment"'::regclass`,
  );
  await db.$transaction(
    async (tx) => {
      // The per-row triggers (rollups, foreign-key checks) are off for this transaction; the rollups are
      // computed below from the rows.
      await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
      await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
      await step("drop the Payment indexes", async () => {
        for (const index of indexes) {
          await tx.$executeRawUnsafe(
            index.isConstraint ? `ALTER TABLE "Payment" DROP CONSTRAINT "${index.name}"` : `DROP INDEX "${index.name}"`,
          );
        }
      });
      await step(`insert ${payments} payments (INSERT … SELECT generate_series)`, () =>
        tx.$executeRawUnsafe(
          `INSERT INTO "Payment" ("id","offerId","offerGeneration","chain","network","testnet","asset","amount","payer","payTo","nonce",
                                  "x402Version","requestMethod","requestPath","upstreamStatus","latencyMs","facilitator","txHash",
                                  "state","reason","createdAt","updatedAt","settledAt")
           SELECT md5(i::text)::uuid::text,
                  '00000000-0000-4000-8000-' || lpad((i % ${offers})::text, 12, '0'), 1,
                  c.chain, c.network, c.testnet, c.asset,
                  1000 * (1 + (i % 7)), '0x' || lpad(to_hex((i::int8 * 7919) % ${payers}), 40, '0'),
                  '0x0000000000000000000000000000000000000002', 'n' || i, 2, 'GET', '/services/bench/', 200,
                  40 + (i * 37) % 900, 'local', '0x' || lpad(to_hex(i), 64, '0'),
                  s.state::"PaymentState", s.reason, t.at, t.at,
                  CASE WHEN s.state = 'settled' THEN t.at + make_interval(secs => (50 + (i * 13) % 2000) / 1000.0) END
             FROM generate_series(1, ${payments}) AS i
             CROSS JOIN LATERAL (SELECT (now() - make_interval(secs => (i::float8 / ${payments}) * ${days} * 86400))::timestamp(3) AS at) t
             CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 7 THEN 'base' WHEN i % 10 < 9 THEN 'base-sepolia' ELSE 'local' END AS chain) k
             CROSS JOIN LATERAL (SELECT k.chain,
                    CASE k.chain WHEN 'base' THEN 'eip155:8453' WHEN 'base-sepolia' THEN 'eip155:84532' ELSE 'eip155:31337' END AS network,
                    k.chain <> 'base' AS testnet,
                    CASE k.chain WHEN 'base' THEN '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'
                                 WHEN 'base-sepolia' THEN '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
                                 ELSE '0x5FbDB2315678afecb367f032d93F642f64180aa3' END AS asset) c
             CROSS JOIN LATERAL (SELECT CASE WHEN i % 100 < 88 THEN 'settled' WHEN i % 100 < 94 THEN 'upstream_failed'
                                             WHEN i % 100 < 98 THEN 'settle_failed' ELSE 'abandoned' END AS state,
                                        CASE WHEN i % 100 < 88 THEN NULL WHEN i % 100 < 94 THEN 'upstream_error'
                                             WHEN i % 100 < 98 THEN 'settlement_failed' ELSE NULL END AS reason) s`,
        ),
      );
      await step(`rebuild the ${indexes.length} Payment indexes`, async () => {
        for (const index of indexes) {
          await tx.$executeRawUnsafe(
            index.isConstraint
              ? `ALTER TABLE "Payment" ADD CONSTRAINT "${index.name}" ${index.definition}`
              : index.definition,
          );
        }
      });
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
  await step("rollups from the rows (analytics_rebuild, revenue)", async () => {
    await db.$executeRawUnsafe(`SELECT "analytics_rebuild"()`);
    await db.$executeRawUnsafe(`DELETE FROM "PaymentRevenue"`);
    await db.$executeRawUnsafe(
      `INSERT INTO "PaymentRevenue" ("chain","network","testnet","asset","payments","amount")
       SELECT "chain","network","testnet","asset", COUNT(*)::int, SUM("amount") FROM "Payment"
        WHERE "state" = 'settled' GROUP BY 1, 2, 3, 4`,
    );
    // The gateway counters' share (flushed in batches by a live server): challenges and refusals per hour,
    // then summed into the days the rebuild derived from the hours.
    await db.$executeRawUnsafe(
      `UPDATE "AnalyticsHourly" SET "challenges" = "verified" * 3 + 1, "refused" = "verified" / 20`,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "AnalyticsFailureHourly" ("offerId","chain","hour","stage","reason","count")
       SELECT "offerId", "chain", "hour", 'refused', 'invalid_exact_evm_payload_signature', SUM("refused")::int
         FROM "AnalyticsHourly" WHERE "refused" > 0 GROUP BY 1, 2, 3`,
    );
    await db.$executeRawUnsafe(
      `UPDATE "AnalyticsDaily" d SET "challenges" = h."challenges", "refused" = h."refused"
         FROM (SELECT "offerId", "chain", "asset", date_trunc('day', "hour") AS "day",
                      SUM("challenges")::int AS "challenges", SUM("refused")::int AS "refused"
                 FROM "AnalyticsHourly" GROUP BY 1, 2, 3, 4) h
        WHERE d."offerId" = h."offerId" AND d."chain" = h."chain" AND d."asset" = h."asset" AND d."day" = h."day"`,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "AnalyticsFailureDaily" ("offerId","chain","day","stage","reason","count")
       SELECT "offerId", "chain", date_trunc('day', "hour"), "stage", "reason", SUM("count")::int
         FROM "AnalyticsFailureHourly" WHERE "stage" = 'refused' GROUP BY 1, 2, 3, 4, 5`,
    );
  });
  // As autovacuum would on a live ledger: statistics, and the visibility map that lets filtered payment
  // pages be answered from the indexes alone.
  await step("VACUUM ANALYZE", () => db.$executeRawUnsafe(`VACUUM ANALYZE`));
  return timings;
}
