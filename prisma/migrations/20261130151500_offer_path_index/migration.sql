-- Creating an offer checks that its path is free: an index keeps that check from reading every offer.
CREATE INDEX "Offer_path_idx" ON "Offer"("path");
