-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "replica" TEXT;
