-- A settlement broadcast but not confirmed in time: the buyer was served with the transaction hash, and
-- recovery settles (or abandons) the payment from what the chain says (SPEC §7 "Uncertain is not failed").
-- (Written by hand: `pnpm db:migration` could not open its shadow database on this machine.)

-- AlterEnum
ALTER TYPE "PaymentState" ADD VALUE 'settlement_pending' AFTER 'delivered';
