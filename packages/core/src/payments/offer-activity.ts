import { z } from "zod";

/** Input of `payments.offerActivity`: one offer (by name, every generation and any earlier offer of that name) and a day range. */
export const offerActivityInputSchema = z.object({
  offer: z.string().min(1).max(63),
  days: z.number().int().min(1).max(366).default(14),
});
export type OfferActivityInput = z.infer<typeof offerActivityInputSchema>;

const line = z.object({
  chain: z.string(),
  testnet: z.boolean(),
  asset: z.string(),
  payments: z.number().int(),
  /** Atomic units, digits only. */
  amount: z.string().regex(/^\d+$/),
});

/** Settled activity of an offer over the whole ledger, aggregated in SQL (not from a page of rows). */
export const offerActivitySchema = z.object({
  offer: z.string(),
  lastSettledAt: z.string().nullable(),
  /** All-time settled sums per chain and asset. */
  totals: z.array(line),
  /** Settled sums per UTC day (`YYYY-MM-DD`), chain and asset, for the last `days` days. */
  byDay: z.array(line.extend({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
});
export type OfferActivity = z.infer<typeof offerActivitySchema>;
