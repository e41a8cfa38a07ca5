-- analytics_rebuild() as in 20261130123509_analytics_daily, with the hourly pass's latency buckets computed
-- once per row by width_bucket (the nested CASE chains were pulled up into each of the sixteen FILTER
-- clauses and re-evaluated there, numeric arithmetic included) and a work_mem that keeps its sorts in memory.
-- The buckets are the trigger's: latencyMs is an integer, so "<= 100" is "< 101", and settledAt and createdAt
-- are TIMESTAMP(3), so a settlement time is a whole number of milliseconds and the .5 bounds split it
-- exactly as "<= 100" does. Bodies are escape strings whose semicolons are written \073 (see the earlier
-- analytics migrations).
CREATE OR REPLACE FUNCTION "analytics_rebuild"() RETURNS VOID LANGUAGE plpgsql SET work_mem = '64MB' AS E'BEGIN
  UPDATE "AnalyticsHourly" SET "lastSettledAt" = NULL, "verified" = 0, "settled" = 0, "settledAmount" = 0, "failed" = 0, "upstreamFailures" = 0, "deliveryLe100" = 0, "deliveryLe250" = 0, "deliveryLe500" = 0, "deliveryLe1000" = 0, "deliveryLe2500" = 0, "deliveryLe5000" = 0, "deliveryLe10000" = 0, "deliveryInf" = 0, "settlementLe100" = 0, "settlementLe250" = 0, "settlementLe500" = 0, "settlementLe1000" = 0, "settlementLe2500" = 0, "settlementLe5000" = 0, "settlementLe10000" = 0, "settlementInf" = 0\073
  DELETE FROM "AnalyticsFailureHourly" WHERE "stage" = ''payment''\073
  DELETE FROM "AnalyticsPayerDaily"\073
  INSERT INTO "AnalyticsHourly" ("offerId", "chain", "asset", "hour", "testnet", "lastSettledAt", "verified", "settled", "settledAmount", "failed", "upstreamFailures", "deliveryLe100", "deliveryLe250", "deliveryLe500", "deliveryLe1000", "deliveryLe2500", "deliveryLe5000", "deliveryLe10000", "deliveryInf", "settlementLe100", "settlementLe250", "settlementLe500", "settlementLe1000", "settlementLe2500", "settlementLe5000", "settlementLe10000", "settlementInf")
  SELECT "offerId", "chain", "asset", date_trunc(''hour'', "createdAt"), bool_or("testnet"),
         MAX(COALESCE("settledAt", "createdAt")) FILTER (WHERE "state" = ''settled''),
         COUNT(*)::INTEGER,
         COUNT(*) FILTER (WHERE "state" = ''settled'')::INTEGER,
         COALESCE(SUM("amount") FILTER (WHERE "state" = ''settled''), 0),
         COUNT(*) FILTER (WHERE "state" IN (''settle_failed'', ''upstream_failed'', ''rejected'', ''abandoned''))::INTEGER,
         COUNT(*) FILTER (WHERE "state" = ''upstream_failed'')::INTEGER,
         COUNT(*) FILTER (WHERE "db" = 0)::INTEGER, COUNT(*) FILTER (WHERE "db" = 1)::INTEGER, COUNT(*) FILTER (WHERE "db" = 2)::INTEGER, COUNT(*) FILTER (WHERE "db" = 3)::INTEGER, COUNT(*) FILTER (WHERE "db" = 4)::INTEGER, COUNT(*) FILTER (WHERE "db" = 5)::INTEGER, COUNT(*) FILTER (WHERE "db" = 6)::INTEGER, COUNT(*) FILTER (WHERE "db" = 7)::INTEGER,
         COUNT(*) FILTER (WHERE "sb" = 0)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 1)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 2)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 3)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 4)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 5)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 6)::INTEGER, COUNT(*) FILTER (WHERE "sb" = 7)::INTEGER
    FROM (SELECT "offerId", "chain", "asset", "createdAt", "testnet", "settledAt", "state", "amount",
                 width_bucket("latencyMs", ''{101,251,501,1001,2501,5001,10001}''::INTEGER[]) AS "db",
                 CASE WHEN "state" = ''settled'' AND "settledAt" IS NOT NULL
                      THEN width_bucket(EXTRACT(EPOCH FROM ("settledAt" - "createdAt"))::FLOAT8 * 1000, ''{100.5,250.5,500.5,1000.5,2500.5,5000.5,10000.5}''::FLOAT8[]) END AS "sb"
            FROM "Payment") AS "p"
   GROUP BY 1, 2, 3, 4
  ON CONFLICT ("offerId", "chain", "asset", "hour") DO UPDATE SET
    "lastSettledAt" = EXCLUDED."lastSettledAt",
    "verified" = EXCLUDED."verified",
    "settled" = EXCLUDED."settled",
    "settledAmount" = EXCLUDED."settledAmount",
    "failed" = EXCLUDED."failed",
    "upstreamFailures" = EXCLUDED."upstreamFailures",
    "deliveryLe100" = EXCLUDED."deliveryLe100",
    "deliveryLe250" = EXCLUDED."deliveryLe250",
    "deliveryLe500" = EXCLUDED."deliveryLe500",
    "deliveryLe1000" = EXCLUDED."deliveryLe1000",
    "deliveryLe2500" = EXCLUDED."deliveryLe2500",
    "deliveryLe5000" = EXCLUDED."deliveryLe5000",
    "deliveryLe10000" = EXCLUDED."deliveryLe10000",
    "deliveryInf" = EXCLUDED."deliveryInf",
    "settlementLe100" = EXCLUDED."settlementLe100",
    "settlementLe250" = EXCLUDED."settlementLe250",
    "settlementLe500" = EXCLUDED."settlementLe500",
    "settlementLe1000" = EXCLUDED."settlementLe1000",
    "settlementLe2500" = EXCLUDED."settlementLe2500",
    "settlementLe5000" = EXCLUDED."settlementLe5000",
    "settlementLe10000" = EXCLUDED."settlementLe10000",
    "settlementInf" = EXCLUDED."settlementInf"\073
  INSERT INTO "AnalyticsFailureHourly" ("offerId", "chain", "hour", "stage", "reason", "count")
  SELECT "offerId", "chain", date_trunc(''hour'', "createdAt"), ''payment'', COALESCE("reason", "state"::TEXT), COUNT(*)::INTEGER
    FROM "Payment" WHERE "state" IN (''settle_failed'', ''upstream_failed'', ''rejected'', ''abandoned'')
   GROUP BY 1, 2, 3, 4, 5\073
  INSERT INTO "AnalyticsPayerDaily" ("day", "chain", "asset", "payer", "testnet", "payments", "amount")
  SELECT "createdAt"::DATE, "chain", "asset", "payer", bool_or("testnet"), COUNT(*)::INTEGER, SUM("amount")
    FROM "Payment" WHERE "state" = ''settled''
   GROUP BY 1, 2, 3, 4\073
  DELETE FROM "AnalyticsDaily"\073
  INSERT INTO "AnalyticsDaily" ("offerId", "chain", "asset", "day", "testnet", "lastSettledAt", "challenges", "refused", "verified", "settled", "settledAmount", "failed", "upstreamFailures", "deliveryLe100", "deliveryLe250", "deliveryLe500", "deliveryLe1000", "deliveryLe2500", "deliveryLe5000", "deliveryLe10000", "deliveryInf", "settlementLe100", "settlementLe250", "settlementLe500", "settlementLe1000", "settlementLe2500", "settlementLe5000", "settlementLe10000", "settlementInf")
  SELECT "offerId", "chain", "asset", date_trunc(''day'', "hour"), bool_or("testnet"), MAX("lastSettledAt") FILTER (WHERE "settled" > 0),
         SUM("challenges")::INTEGER, SUM("refused")::INTEGER, SUM("verified")::INTEGER, SUM("settled")::INTEGER, SUM("settledAmount"), SUM("failed")::INTEGER, SUM("upstreamFailures")::INTEGER, SUM("deliveryLe100")::INTEGER, SUM("deliveryLe250")::INTEGER, SUM("deliveryLe500")::INTEGER, SUM("deliveryLe1000")::INTEGER, SUM("deliveryLe2500")::INTEGER, SUM("deliveryLe5000")::INTEGER, SUM("deliveryLe10000")::INTEGER, SUM("deliveryInf")::INTEGER, SUM("settlementLe100")::INTEGER, SUM("settlementLe250")::INTEGER, SUM("settlementLe500")::INTEGER, SUM("settlementLe1000")::INTEGER, SUM("settlementLe2500")::INTEGER, SUM("settlementLe5000")::INTEGER, SUM("settlementLe10000")::INTEGER, SUM("settlementInf")::INTEGER
    FROM "AnalyticsHourly"
   GROUP BY 1, 2, 3, 4\073
  DELETE FROM "AnalyticsFailureDaily"\073
  INSERT INTO "AnalyticsFailureDaily" ("offerId", "chain", "day", "stage", "reason", "count")
  SELECT "offerId", "chain", date_trunc(''day'', "hour"), "stage", "reason", SUM("count")::INTEGER
    FROM "AnalyticsFailureHourly"
   GROUP BY 1, 2, 3, 4, 5\073
END\073';
