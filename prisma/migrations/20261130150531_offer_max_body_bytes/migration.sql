-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "maxBodyBytes" INTEGER;
