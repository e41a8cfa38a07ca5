-- Revenue from a rollup kept by a trigger (the report reads O(chains) rows, not a million payments),
-- and list indexes that match the (createdAt, id) cursor order.

-- DropIndex
DROP INDEX "Payment_createdAt_idx";

-- DropIndex
DROP INDEX "Payment_offerId_createdAt_idx";

-- DropIndex
DROP INDEX "Payment_state_chain_network_testnet_asset_amount_idx";

-- CreateTable
CREATE TABLE "PaymentRevenue" (
    "chain" TEXT NOT NULL,
    "network" TEXT NOT NULL,
    "testnet" BOOLEAN NOT NULL,
    "asset" TEXT NOT NULL,
    "payments" INTEGER NOT NULL DEFAULT 0,
    "amount" DECIMAL(78,0) NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentRevenue_pkey" PRIMARY KEY ("chain","network","testnet","asset")
);

-- CreateIndex
CREATE INDEX "Payment_offerId_createdAt_id_idx" ON "Payment"("offerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_createdAt_id_idx" ON "Payment"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_state_createdAt_idx" ON "Payment"("state", "createdAt");

-- Rollup trigger: every row entering `settled` adds to its (chain, network, testnet, asset) line, every row
-- leaving it (an update, or a delete such as a bundle import replacing the ledger) subtracts. It runs in the
-- writer's transaction, so the rollup always equals SUM/COUNT over the settled rows.
-- The migration runner's driver adapter splits scripts on every semicolon, so the function body is an
-- escape string whose semicolons are written \073 (octal). Readable source, for reference:
--   BEGIN
--     IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."state" = 'settled' THEN
--       UPDATE "PaymentRevenue"
--          SET "payments" = "payments" - 1, "amount" = "amount" - OLD."amount", "updatedAt" = CURRENT_TIMESTAMP
--        WHERE "chain" = OLD."chain" AND "network" = OLD."network" AND "testnet" = OLD."testnet" AND "asset" = OLD."asset"
--     END IF
--     IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."state" = 'settled' THEN
--       INSERT INTO "PaymentRevenue" ("chain", "network", "testnet", "asset", "payments", "amount", "updatedAt")
--       VALUES (NEW."chain", NEW."network", NEW."testnet", NEW."asset", 1, NEW."amount", CURRENT_TIMESTAMP)
--       ON CONFLICT ("chain", "network", "testnet", "asset") DO UPDATE
--          SET "payments" = "PaymentRevenue"."payments" + 1,
--              "amount" = "PaymentRevenue"."amount" + EXCLUDED."amount",
--              "updatedAt" = CURRENT_TIMESTAMP
--     END IF
--     RETURN NULL
--   END
CREATE FUNCTION "payment_revenue_rollup"() RETURNS TRIGGER LANGUAGE plpgsql AS E'BEGIN
  IF TG_OP IN (''UPDATE'', ''DELETE'') AND OLD."state" = ''settled'' THEN
    UPDATE "PaymentRevenue"
       SET "payments" = "payments" - 1, "amount" = "amount" - OLD."amount", "updatedAt" = CURRENT_TIMESTAMP
     WHERE "chain" = OLD."chain" AND "network" = OLD."network" AND "testnet" = OLD."testnet" AND "asset" = OLD."asset"\073
  END IF\073
  IF TG_OP IN (''INSERT'', ''UPDATE'') AND NEW."state" = ''settled'' THEN
    INSERT INTO "PaymentRevenue" ("chain", "network", "testnet", "asset", "payments", "amount", "updatedAt")
    VALUES (NEW."chain", NEW."network", NEW."testnet", NEW."asset", 1, NEW."amount", CURRENT_TIMESTAMP)
    ON CONFLICT ("chain", "network", "testnet", "asset") DO UPDATE
       SET "payments" = "PaymentRevenue"."payments" + 1,
           "amount" = "PaymentRevenue"."amount" + EXCLUDED."amount",
           "updatedAt" = CURRENT_TIMESTAMP\073
  END IF\073
  RETURN NULL\073
END\073';

CREATE TRIGGER "Payment_revenue_rollup"
AFTER INSERT OR UPDATE OR DELETE ON "Payment"
FOR EACH ROW EXECUTE FUNCTION "payment_revenue_rollup"();

-- Backfill from the payments already settled.
INSERT INTO "PaymentRevenue" ("chain", "network", "testnet", "asset", "payments", "amount")
SELECT "chain", "network", "testnet", "asset", COUNT(*)::int, SUM("amount")
  FROM "Payment" WHERE "state" = 'settled'
 GROUP BY "chain", "network", "testnet", "asset";
