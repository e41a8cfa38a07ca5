-- CreateTable
CREATE TABLE "AnalyticsPayerWindow" (
    "windowDays" INTEGER NOT NULL,
    "chain" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "payer" TEXT NOT NULL,
    "testnet" BOOLEAN NOT NULL,
    "payments" INTEGER NOT NULL DEFAULT 0,
    "amount" DECIMAL(78,0) NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsPayerWindow_pkey" PRIMARY KEY ("windowDays","chain","asset","payer")
);

-- CreateTable
CREATE TABLE "AnalyticsPayerWindowState" (
    "windowDays" INTEGER NOT NULL,
    "startDay" DATE NOT NULL,

    CONSTRAINT "AnalyticsPayerWindowState_pkey" PRIMARY KEY ("windowDays")
);

-- CreateIndex
CREATE INDEX "AnalyticsPayerWindow_windowDays_amount_idx" ON "AnalyticsPayerWindow"("windowDays", "amount" DESC);

-- Trigger: a settled payment on or after a window's start adds to its payer's row in that window, and a row
-- leaving `settled` (or deleted) subtracts. Windows start empty (no state row). The first query for a
-- window builds it from AnalyticsPayerDaily, later queries move it forward a day at a time. The function
-- body is an escape string whose semicolons are written \073 (the migration runner splits on them).
CREATE FUNCTION "payment_payer_window_rollup"() RETURNS TRIGGER LANGUAGE plpgsql AS E'BEGIN
  IF TG_OP = ''UPDATE'' AND OLD."state" = NEW."state" AND OLD."amount" = NEW."amount" AND OLD."createdAt" = NEW."createdAt"
     AND OLD."payer" = NEW."payer" AND OLD."chain" = NEW."chain" AND OLD."asset" = NEW."asset" THEN
    RETURN NULL\073
  END IF\073
  IF TG_OP IN (''UPDATE'', ''DELETE'') AND OLD."state" = ''settled'' THEN
    UPDATE "AnalyticsPayerWindow" w
       SET "payments" = w."payments" - 1, "amount" = w."amount" - OLD."amount"
      FROM "AnalyticsPayerWindowState" st
     WHERE w."windowDays" = st."windowDays" AND OLD."createdAt"::DATE >= st."startDay"
       AND w."chain" = OLD."chain" AND w."asset" = OLD."asset" AND w."payer" = OLD."payer"\073
  END IF\073
  IF TG_OP IN (''INSERT'', ''UPDATE'') AND NEW."state" = ''settled'' THEN
    INSERT INTO "AnalyticsPayerWindow" ("windowDays", "chain", "asset", "payer", "testnet", "payments", "amount")
    SELECT st."windowDays", NEW."chain", NEW."asset", NEW."payer", NEW."testnet", 1, NEW."amount"
      FROM "AnalyticsPayerWindowState" st
     WHERE NEW."createdAt"::DATE >= st."startDay"
    ON CONFLICT ("windowDays", "chain", "asset", "payer") DO UPDATE
       SET "payments" = "AnalyticsPayerWindow"."payments" + 1,
           "amount" = "AnalyticsPayerWindow"."amount" + EXCLUDED."amount"\073
  END IF\073
  RETURN NULL\073
END\073';

CREATE TRIGGER "Payment_payer_window_rollup"
AFTER INSERT OR UPDATE OR DELETE ON "Payment"
FOR EACH ROW EXECUTE FUNCTION "payment_payer_window_rollup"();
