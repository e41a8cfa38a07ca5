-- Revenue sums settled amounts per chain and asset: a covering index makes it an index-only scan.
-- DropIndex
DROP INDEX "Payment_state_chain_asset_idx";

-- CreateIndex
CREATE INDEX "Payment_state_chain_network_testnet_asset_amount_idx" ON "Payment"("state", "chain", "network", "testnet", "asset", "amount");
