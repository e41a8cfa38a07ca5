-- Top payers over an hour range, or of one offer, read the settled rows' payer, asset, amount and testnet
-- from the per-state and per-offer indexes alone (index-only scans bounded by the range), never the rows.

-- DropIndex
DROP INDEX "Payment_offerId_createdAt_id_state_chain_idx";

-- DropIndex
DROP INDEX "Payment_state_createdAt_id_chain_idx";

-- CreateIndex
CREATE INDEX "Payment_offerId_createdAt_id_state_chain_payer_asset_amount_idx" ON "Payment"("offerId", "createdAt", "id", "state", "chain", "payer", "asset", "amount", "testnet");

-- CreateIndex
CREATE INDEX "Payment_state_createdAt_id_chain_payer_asset_amount_testnet_idx" ON "Payment"("state", "createdAt", "id", "chain", "payer", "asset", "amount", "testnet");
