-- CreateTable
CREATE TABLE "AnalyticsDaily" (
    "offerId" TEXT NOT NULL,
    "chain" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "testnet" BOOLEAN NOT NULL,
    "challenges" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "verified" INTEGER NOT NULL DEFAULT 0,
    "settled" INTEGER NOT NULL DEFAULT 0,
    "settledAmount" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "upstreamFailures" INTEGER NOT NULL DEFAULT 0,
    "lastSettledAt" TIMESTAMP(3),
    "deliveryLe100" INTEGER NOT NULL DEFAULT 0,
    "deliveryLe250" INTEGER NOT NULL DEFAULT 0,
    "deliveryLe500" INTEGER NOT NULL DEFAULT 0,
    "deliveryLe1000" INTEGER NOT NULL DEFAULT 0,
    "deliveryLe2500" INTEGER NOT NULL DEFAULT 0,
    "deliveryLe5000" INTEGER NOT NULL DEFAULT 0,
    "deliveryLe10000" INTEGER NOT NULL DEFAULT 0,
    "deliveryInf" INTEGER NOT NULL DEFAULT 0,
    "settlementLe100" INTEGER NOT NULL DEFAULT 0,
    "settlementLe250" INTEGER NOT NULL DEFAULT 0,
    "settlementLe500" INTEGER NOT NULL DEFAULT 0,
    "settlementLe1000" INTEGER NOT NULL DEFAULT 0,
    "settlementLe2500" INTEGER NOT NULL DEFAULT 0,
    "settlementLe5000" INTEGER NOT NULL DEFAULT 0,
    "settlementLe10000" INTEGER NOT NULL DEFAULT 0,
    "settlementInf" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsDaily_pkey" PRIMARY KEY ("offerId","chain","asset","day")
);

-- CreateTable
CREATE TABLE "AnalyticsFailureDaily" (
    "offerId" TEXT NOT NULL,
    "chain" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "stage" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsFailureDaily_pkey" PRIMARY KEY ("offerId","chain","day","stage","reason")
);

-- CreateIndex
CREATE INDEX "AnalyticsDaily_day_idx" ON "AnalyticsDaily"("day");

-- CreateIndex
CREATE INDEX "AnalyticsFailureDaily_day_idx" ON "AnalyticsFailureDaily"("day");

-- The analytics functions of 20261130114510_analytics_rollups, now also keeping the daily tables: the
-- trigger adds each payment's contribution to its hour and to its day, and the rebuild recomputes the
-- hourly rollups from the payments, then the daily ones from the hourly (counters included). Function
-- bodies are escape strings whose semicolons are written \073 and quotes doubled (the migration runner
-- splits scripts on every semicolon).
CREATE OR REPLACE FUNCTION "analytics_apply_payment"(p "Payment", s INTEGER) RETURNS VOID LANGUAGE plpgsql AS E'DECLARE
  h TIMESTAMP(3) := date_trunc(''hour'', p."createdAt")\073
  d TIMESTAMP(3) := date_trunc(''day'', p."createdAt")\073
  is_settled INTEGER := CASE WHEN p."state" = ''settled'' THEN 1 ELSE 0 END\073
  is_failed INTEGER := CASE WHEN p."state" IN (''settle_failed'', ''upstream_failed'', ''rejected'', ''abandoned'') THEN 1 ELSE 0 END\073
  db INTEGER := CASE WHEN p."latencyMs" IS NULL THEN NULL WHEN p."latencyMs" <= 100 THEN 0 WHEN p."latencyMs" <= 250 THEN 1 WHEN p."latencyMs" <= 500 THEN 2 WHEN p."latencyMs" <= 1000 THEN 3 WHEN p."latencyMs" <= 2500 THEN 4 WHEN p."latencyMs" <= 5000 THEN 5 WHEN p."latencyMs" <= 10000 THEN 6 ELSE 7 END\073
  sms NUMERIC := CASE WHEN p."state" = ''settled'' AND p."settledAt" IS NOT NULL THEN GREATEST(0, EXTRACT(EPOCH FROM (p."settledAt" - p."createdAt")) * 1000) END\073
  sb INTEGER := CASE WHEN sms IS NULL THEN NULL WHEN sms <= 100 THEN 0 WHEN sms <= 250 THEN 1 WHEN sms <= 500 THEN 2 WHEN sms <= 1000 THEN 3 WHEN sms <= 2500 THEN 4 WHEN sms <= 5000 THEN 5 WHEN sms <= 10000 THEN 6 ELSE 7 END\073
BEGIN
  INSERT INTO "AnalyticsHourly" ("offerId", "chain", "asset", "hour", "testnet", "lastSettledAt", "verified", "settled", "settledAmount", "failed", "upstreamFailures", "deliveryLe100", "deliveryLe250", "deliveryLe500", "deliveryLe1000", "deliveryLe2500", "deliveryLe5000", "deliveryLe10000", "deliveryInf", "settlementLe100", "settlementLe250", "settlementLe500", "settlementLe1000", "settlementLe2500", "settlementLe5000", "settlementLe10000", "settlementInf")
  VALUES (p."offerId", p."chain", p."asset", h, p."testnet",
          CASE WHEN s > 0 AND is_settled = 1 THEN COALESCE(p."settledAt", p."createdAt") END,
          s, s * is_settled, s * is_settled * p."amount", s * is_failed,
          CASE WHEN p."state" = ''upstream_failed'' THEN s ELSE 0 END,
          CASE WHEN db = 0 THEN s ELSE 0 END, CASE WHEN db = 1 THEN s ELSE 0 END, CASE WHEN db = 2 THEN s ELSE 0 END, CASE WHEN db = 3 THEN s ELSE 0 END, CASE WHEN db = 4 THEN s ELSE 0 END, CASE WHEN db = 5 THEN s ELSE 0 END, CASE WHEN db = 6 THEN s ELSE 0 END, CASE WHEN db = 7 THEN s ELSE 0 END,
          CASE WHEN sb = 0 THEN s ELSE 0 END, CASE WHEN sb = 1 THEN s ELSE 0 END, CASE WHEN sb = 2 THEN s ELSE 0 END, CASE WHEN sb = 3 THEN s ELSE 0 END, CASE WHEN sb = 4 THEN s ELSE 0 END, CASE WHEN sb = 5 THEN s ELSE 0 END, CASE WHEN sb = 6 THEN s ELSE 0 END, CASE WHEN sb = 7 THEN s ELSE 0 END)
  ON CONFLICT ("offerId", "chain", "asset", "hour") DO UPDATE SET
    "lastSettledAt" = GREATEST("AnalyticsHourly"."lastSettledAt", EXCLUDED."lastSettledAt"),
    "verified" = "AnalyticsHourly"."verified" + EXCLUDED."verified",
    "settled" = "AnalyticsHourly"."settled" + EXCLUDED."settled",
    "settledAmount" = "AnalyticsHourly"."settledAmount" + EXCLUDED."settledAmount",
    "failed" = "AnalyticsHourly"."failed" + EXCLUDED."failed",
    "upstreamFailures" = "AnalyticsHourly"."upstreamFailures" + EXCLUDED."upstreamFailures",
    "deliveryLe100" = "AnalyticsHourly"."deliveryLe100" + EXCLUDED."deliveryLe100",
    "deliveryLe250" = "AnalyticsHourly"."deliveryLe250" + EXCLUDED."deliveryLe250",
    "deliveryLe500" = "AnalyticsHourly"."deliveryLe500" + EXCLUDED."deliveryLe500",
    "deliveryLe1000" = "AnalyticsHourly"."deliveryLe1000" + EXCLUDED."deliveryLe1000",
    "deliveryLe2500" = "AnalyticsHourly"."deliveryLe2500" + EXCLUDED."deliveryLe2500",
    "deliveryLe5000" = "AnalyticsHourly"."deliveryLe5000" + EXCLUDED."deliveryLe5000",
    "deliveryLe10000" = "AnalyticsHourly"."deliveryLe10000" + EXCLUDED."deliveryLe10000",
    "deliveryInf" = "AnalyticsHourly"."deliveryInf" + EXCLUDED."deliveryInf",
    "settlementLe100" = "AnalyticsHourly"."settlementLe100" + EXCLUDED."settlementLe100",
    "settlementLe250" = "AnalyticsHourly"."settlementLe250" + EXCLUDED."settlementLe250",
    "settlementLe500" = "AnalyticsHourly"."settlementLe500" + EXCLUDED."settlementLe500",
    "settlementLe1000" = "AnalyticsHourly"."settlementLe1000" + EXCLUDED."settlementLe1000",
    "settlementLe2500" = "AnalyticsHourly"."settlementLe2500" + EXCLUDED."settlementLe2500",
    "settlementLe5000" = "AnalyticsHourly"."settlementLe5000" + EXCLUDED."settlementLe5000",
    "settlementLe10000" = "AnalyticsHourly"."settlementLe10000" + EXCLUDED."settlementLe10000",
    "settlementInf" = "AnalyticsHourly"."settlementInf" + EXCLUDED."settlementInf"\073
  INSERT INTO "AnalyticsDaily" ("offerId", "chain", "asset", "day", "testnet", "lastSettledAt", "verified", "settled", "settledAmount", "failed", "upstreamFailures", "deliveryLe100", "deliveryLe250", "deliveryLe500", "deliveryLe1000", "deliveryLe2500", "deliveryLe5000", "deliveryLe10000", "deliveryInf", "settlementLe100", "settlementLe250", "settlementLe500", "settlementLe1000", "settlementLe2500", "settlementLe5000", "settlementLe10000", "settlementInf")
  VALUES (p."offerId", p."chain", p."asset", d, p."testnet",
          CASE WHEN s > 0 AND is_settled = 1 THEN COALESCE(p."settledAt", p."createdAt") END,
          s, s * is_settled, s * is_settled * p."amount", s * is_failed,
          CASE WHEN p."state" = ''upstream_failed'' THEN s ELSE 0 END,
          CASE WHEN db = 0 THEN s ELSE 0 END, CASE WHEN db = 1 THEN s ELSE 0 END, CASE WHEN db = 2 THEN s ELSE 0 END, CASE WHEN db = 3 THEN s ELSE 0 END, CASE WHEN db = 4 THEN s ELSE 0 END, CASE WHEN db = 5 THEN s ELSE 0 END, CASE WHEN db = 6 THEN s ELSE 0 END, CASE WHEN db = 7 THEN s ELSE 0 END,
          CASE WHEN sb = 0 THEN s ELSE 0 END, CASE WHEN sb = 1 THEN s ELSE 0 END, CASE WHEN sb = 2 THEN s ELSE 0 END, CASE WHEN sb = 3 THEN s ELSE 0 END, CASE WHEN sb = 4 THEN s ELSE 0 END, CASE WHEN sb = 5 THEN s ELSE 0 END, CASE WHEN sb = 6 THEN s ELSE 0 END, CASE WHEN sb = 7 THEN s ELSE 0 END)
  ON CONFLICT ("offerId", "chain", "asset", "day") DO UPDATE SET
    "lastSettledAt" = GREATEST("AnalyticsDaily"."lastSettledAt", EXCLUDED."lastSettledAt"),
    "verified" = "AnalyticsDaily"."verified" + EXCLUDED."verified",
    "settled" = "AnalyticsDaily"."settled" + EXCLUDED."settled",
    "settledAmount" = "AnalyticsDaily"."settledAmount" + EXCLUDED."settledAmount",
    "failed" = "AnalyticsDaily"."failed" + EXCLUDED."failed",
    "upstreamFailures" = "AnalyticsDaily"."upstreamFailures" + EXCLUDED."upstreamFailures",
    "deliveryLe100" = "AnalyticsDaily"."deliveryLe100" + EXCLUDED."deliveryLe100",
    "deliveryLe250" = "AnalyticsDaily"."deliveryLe250" + EXCLUDED."deliveryLe250",
    "deliveryLe500" = "AnalyticsDaily"."deliveryLe500" + EXCLUDED."deliveryLe500",
    "deliveryLe1000" = "AnalyticsDaily"."deliveryLe1000" + EXCLUDED."deliveryLe1000",
    "deliveryLe2500" = "AnalyticsDaily"."deliveryLe2500" + EXCLUDED."deliveryLe2500",
    "deliveryLe5000" = "AnalyticsDaily"."deliveryLe5000" + EXCLUDED."deliveryLe5000",
    "deliveryLe10000" = "AnalyticsDaily"."deliveryLe10000" + EXCLUDED."deliveryLe10000",
    "deliveryInf" = "AnalyticsDaily"."deliveryInf" + EXCLUDED."deliveryInf",
    "settlementLe100" = "AnalyticsDaily"."settlementLe100" + EXCLUDED."settlementLe100",
    "settlementLe250" = "AnalyticsDaily"."settlementLe250" + EXCLUDED."settlementLe250",
    "settlementLe500" = "AnalyticsDaily"."settlementLe500" + EXCLUDED."settlementLe500",
    "settlementLe1000" = "AnalyticsDaily"."settlementLe1000" + EXCLUDED."settlementLe1000",
    "settlementLe2500" = "AnalyticsDaily"."settlementLe2500" + EXCLUDED."settlementLe2500",
    "settlementLe5000" = "AnalyticsDaily"."settlementLe5000" + EXCLUDED."settlementLe5000",
    "settlementLe10000" = "AnalyticsDaily"."settlementLe10000" + EXCLUDED."settlementLe10000",
    "settlementInf" = "AnalyticsDaily"."settlementInf" + EXCLUDED."settlementInf"\073
  IF is_failed = 1 THEN
    INSERT INTO "AnalyticsFailureHourly" ("offerId", "chain", "hour", "stage", "reason", "count")
    VALUES (p."offerId", p."chain", h, ''payment'', COALESCE(p."reason", p."state"::TEXT), s)
    ON CONFLICT ("offerId", "chain", "hour", "stage", "reason") DO UPDATE
      SET "count" = "AnalyticsFailureHourly"."count" + EXCLUDED."count"\073
    INSERT INTO "AnalyticsFailureDaily" ("offerId", "chain", "day", "stage", "reason", "count")
    VALUES (p."offerId", p."chain", d, ''payment'', COALESCE(p."reason", p."state"::TEXT), s)
    ON CONFLICT ("offerId", "chain", "day", "stage", "reason") DO UPDATE
      SET "count" = "AnalyticsFailureDaily"."count" + EXCLUDED."count"\073
  END IF\073
  IF is_settled = 1 THEN
    INSERT INTO "AnalyticsPayerDaily" ("day", "chain", "asset", "payer", "testnet", "payments", "amount")
    VALUES (p."createdAt"::DATE, p."chain", p."asset", p."payer", p."testnet", s, s * p."amount")
    ON CONFLICT ("day", "chain", "asset", "payer") DO UPDATE
      SET "payments" = "AnalyticsPayerDaily"."payments" + EXCLUDED."payments",
          "amount" = "AnalyticsPayerDaily"."amount" + EXCLUDED."amount"\073
  END IF\073
END\073';

CREATE OR REPLACE FUNCTION "analytics_rebuild"() RETURNS VOID LANGUAGE plpgsql AS E'BEGIN
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
    FROM (SELECT *, CASE WHEN "latencyMs" IS NULL THEN NULL WHEN "latencyMs" <= 100 THEN 0 WHEN "latencyMs" <= 250 THEN 1 WHEN "latencyMs" <= 500 THEN 2 WHEN "latencyMs" <= 1000 THEN 3 WHEN "latencyMs" <= 2500 THEN 4 WHEN "latencyMs" <= 5000 THEN 5 WHEN "latencyMs" <= 10000 THEN 6 ELSE 7 END AS "db",
                 CASE WHEN sms IS NULL THEN NULL WHEN sms <= 100 THEN 0 WHEN sms <= 250 THEN 1 WHEN sms <= 500 THEN 2 WHEN sms <= 1000 THEN 3 WHEN sms <= 2500 THEN 4 WHEN sms <= 5000 THEN 5 WHEN sms <= 10000 THEN 6 ELSE 7 END AS "sb"
            FROM (SELECT *, CASE WHEN "state" = ''settled'' AND "settledAt" IS NOT NULL THEN GREATEST(0, EXTRACT(EPOCH FROM ("settledAt" - "createdAt")) * 1000) END AS sms
                    FROM "Payment") AS "timed") AS "p"
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

-- Backfill the daily tables (and recompute the hourly ones) from what is in the ledger.
SELECT "analytics_rebuild"();
