-- payment_analytics_rollup() as in 20261130114510_analytics_rollups, plus one early return: a payment that
-- moves between the states of a payment still in progress (verified, delivered, settlement_pending) with the
-- same latency, offer, chain, asset, creation time and testnet flag contributes to the hourly and daily rollups
-- exactly what it did before (analytics_apply_payment counts these states alike), so the trigger no longer
-- subtracts and re-adds it. The settlement path's move to `delivered` (the ledger write that waits for the disk,
-- before the broadcast) then takes no lock on the rollup rows that every other payment of the offer updates too.
-- Bodies are escape strings whose semicolons are written \073 (see the earlier analytics migrations).
CREATE OR REPLACE FUNCTION "payment_analytics_rollup"() RETURNS TRIGGER LANGUAGE plpgsql AS E'BEGIN
  IF TG_OP = ''UPDATE'' AND OLD."state" IS NOT DISTINCT FROM NEW."state" AND OLD."latencyMs" IS NOT DISTINCT FROM NEW."latencyMs" AND OLD."settledAt" IS NOT DISTINCT FROM NEW."settledAt" AND OLD."reason" IS NOT DISTINCT FROM NEW."reason" AND OLD."amount" IS NOT DISTINCT FROM NEW."amount" AND OLD."createdAt" IS NOT DISTINCT FROM NEW."createdAt" AND OLD."offerId" IS NOT DISTINCT FROM NEW."offerId" AND OLD."chain" IS NOT DISTINCT FROM NEW."chain" AND OLD."asset" IS NOT DISTINCT FROM NEW."asset" AND OLD."payer" IS NOT DISTINCT FROM NEW."payer" AND OLD."testnet" IS NOT DISTINCT FROM NEW."testnet" THEN
    RETURN NULL\073
  END IF\073
  IF TG_OP = ''UPDATE'' AND OLD."state" IN (''verified'', ''delivered'', ''settlement_pending'') AND NEW."state" IN (''verified'', ''delivered'', ''settlement_pending'') AND OLD."latencyMs" IS NOT DISTINCT FROM NEW."latencyMs" AND OLD."createdAt" IS NOT DISTINCT FROM NEW."createdAt" AND OLD."offerId" IS NOT DISTINCT FROM NEW."offerId" AND OLD."chain" IS NOT DISTINCT FROM NEW."chain" AND OLD."asset" IS NOT DISTINCT FROM NEW."asset" AND OLD."testnet" IS NOT DISTINCT FROM NEW."testnet" THEN
    RETURN NULL\073
  END IF\073
  IF TG_OP IN (''UPDATE'', ''DELETE'') THEN
    PERFORM "analytics_apply_payment"(OLD, -1)\073
  END IF\073
  IF TG_OP IN (''INSERT'', ''UPDATE'') THEN
    PERFORM "analytics_apply_payment"(NEW, 1)\073
  END IF\073
  RETURN NULL\073
END\073';
