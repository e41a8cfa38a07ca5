-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "runtimeUrl" TEXT;
