-- CreateEnum
CREATE TYPE "AgentPaymentState" AS ENUM ('reserved', 'signed', 'settled', 'failed', 'refused');

-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "allowAssets" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "allowNetworks" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "allowPayees" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "dailyBudget" DECIMAL(78,0),
ADD COLUMN     "maxPerPayment" DECIMAL(78,0);

-- CreateTable
CREATE TABLE "AgentPayment" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "direction" TEXT NOT NULL DEFAULT 'outbound',
    "url" TEXT NOT NULL,
    "network" TEXT,
    "asset" TEXT,
    "payTo" TEXT,
    "amount" DECIMAL(78,0) NOT NULL,
    "state" "AgentPaymentState" NOT NULL,
    "reason" TEXT,
    "txHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AgentPayment_agentId_createdAt_idx" ON "AgentPayment"("agentId", "createdAt");

-- CreateIndex
CREATE INDEX "AgentPayment_createdAt_id_idx" ON "AgentPayment"("createdAt", "id");

-- AddForeignKey
ALTER TABLE "AgentPayment" ADD CONSTRAINT "AgentPayment_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
