-- Storefront and admin search at scale (SPEC §9 "Storefront at scale"). Two columns kept by triggers, so
-- every writer (create, update, the reconciler, a bundle import) keeps them current:
-- * "searchText": lower-cased name, description, type, model and category, matched through a trigram
--   index rather than a scan of every offer.
-- * "operationallyReady": the four operational conditions are True (SPEC §4.2), recomputed when one of
--   the offer's condition rows changes, so listing ready offers is a filter on a column, not a join.

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "Offer" ADD COLUMN "operationallyReady" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "searchText" TEXT NOT NULL DEFAULT '';

-- The migration runner splits statements at semicolons, so the body spells its own as \073.
CREATE FUNCTION "offer_search_text"() RETURNS TRIGGER LANGUAGE plpgsql AS E'BEGIN
  NEW."searchText" := lower(concat_ws('' '', NEW."name", NEW."description", NEW."type"::text, NEW."model", NEW."listingCategory"))\073
  RETURN NEW\073
END\073';

CREATE TRIGGER "Offer_searchText"
BEFORE INSERT OR UPDATE OF "name", "description", "type", "model", "listingCategory", "searchText" ON "Offer"
FOR EACH ROW EXECUTE FUNCTION "offer_search_text"();

UPDATE "Offer" SET "searchText" = lower(concat_ws(' ', "name", "description", "type"::text, "model", "listingCategory"));

-- CreateIndex
CREATE INDEX "Offer_searchText_idx" ON "Offer" USING GIN ("searchText" gin_trgm_ops);

-- The four types are core's `operationalConditions` (packages/core/src/discovery/select-listed-offers.ts).
CREATE FUNCTION "offer_operationally_ready"() RETURNS TRIGGER LANGUAGE plpgsql AS E'DECLARE
  target TEXT\073
BEGIN
  IF TG_OP = ''DELETE'' THEN target := OLD."offerId"\073 ELSE target := NEW."offerId"\073 END IF\073
  UPDATE "Offer" o SET "operationallyReady" = r.ready
    FROM (SELECT count(*) = 4 AS ready FROM "OfferCondition" c
           WHERE c."offerId" = target AND c."status" = ''True''
             AND c."type" IN (''UpstreamHealthy'', ''ModelReady'', ''PaymentGateReady'', ''RoutePublished'')) r
   WHERE o."id" = target AND o."operationallyReady" IS DISTINCT FROM r.ready\073
  RETURN NULL\073
END\073';

CREATE TRIGGER "OfferCondition_operationallyReady"
AFTER INSERT OR UPDATE OF "status", "type", "offerId" OR DELETE ON "OfferCondition"
FOR EACH ROW EXECUTE FUNCTION "offer_operationally_ready"();

UPDATE "Offer" o SET "operationallyReady" = true
 WHERE (SELECT count(*) FROM "OfferCondition" c
         WHERE c."offerId" = o."id" AND c."status" = 'True'
           AND c."type" IN ('UpstreamHealthy', 'ModelReady', 'PaymentGateReady', 'RoutePublished')) = 4;
