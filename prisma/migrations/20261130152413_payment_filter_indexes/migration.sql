-- The payments list's filter columns ride after (createdAt, id) in the per-offer, per-state and per-chain
-- indexes, so a page filtered by several of them (offer + state + chain + time range, state + chain, ...)
-- is found by an index-only scan that skips non-matching entries inside the index: a combination that
-- matches nothing walks one index range and never the rows themselves. Same number of indexes as before.

-- DropIndex
DROP INDEX "Payment_chain_createdAt_id_idx";

-- DropIndex
DROP INDEX "Payment_offerId_createdAt_id_idx";

-- DropIndex
DROP INDEX "Payment_state_createdAt_idx";

-- CreateIndex
CREATE INDEX "Payment_offerId_createdAt_id_state_chain_idx" ON "Payment"("offerId", "createdAt", "id", "state", "chain");

-- CreateIndex
CREATE INDEX "Payment_state_createdAt_id_chain_idx" ON "Payment"("state", "createdAt", "id", "chain");

-- CreateIndex
CREATE INDEX "Payment_chain_createdAt_id_state_idx" ON "Payment"("chain", "createdAt", "id", "state");
