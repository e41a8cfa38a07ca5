import {
  listPaymentsInputSchema,
  offerActivityInputSchema,
  offerActivitySchema,
  paymentPageSchema,
  revenueReportSchema,
} from "@tollgate/core/payments/index";
import { readProcedure, router } from "../trpc.ts";

export const paymentsRouter = router({
  list: readProcedure
    .input(listPaymentsInputSchema)
    .output(paymentPageSchema)
    .query(({ ctx, input }) => ctx.services.payments.list(input)),
  revenue: readProcedure.output(revenueReportSchema).query(({ ctx }) => ctx.services.payments.revenue()),
  /** One offer's settled totals and revenue per day, aggregated over the whole ledger. */
  offerActivity: readProcedure
    .input(offerActivityInputSchema)
    .output(offerActivitySchema)
    .query(({ ctx, input }) => ctx.services.payments.offerActivity(input)),
});
