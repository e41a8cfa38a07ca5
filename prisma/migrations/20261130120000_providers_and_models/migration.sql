-- AlterTable
ALTER TABLE "Model" DROP COLUMN "apiKeySecretId",
DROP COLUMN "baseUrl",
DROP COLUMN "position",
DROP COLUMN "provider",
ADD COLUMN     "maxTokens" INTEGER NOT NULL DEFAULT 8192,
ADD COLUMN     "providerId" TEXT NOT NULL,
ADD COLUMN     "upstreamModel" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "completionTokens" INTEGER,
ADD COLUMN     "maxAmount" DECIMAL(78,0),
ADD COLUMN     "promptTokens" INTEGER,
ADD COLUMN     "scheme" TEXT NOT NULL DEFAULT 'exact',
ADD COLUMN     "totalTokens" INTEGER;

-- CreateTable
CREATE TABLE "Provider" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "apiKeySecret" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Provider_name_key" ON "Provider"("name");

-- CreateIndex
CREATE INDEX "Model_providerId_idx" ON "Model"("providerId");

-- AddForeignKey
ALTER TABLE "Model" ADD CONSTRAINT "Model_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
