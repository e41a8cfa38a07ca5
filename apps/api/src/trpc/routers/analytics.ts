import {
  analyticsInputSchema,
  analyticsOverviewSchema,
  funnelSchema,
  latencyReportSchema,
  offerStatsReportSchema,
  revenueSeriesSchema,
  spendReportSchema,
  topPayersInputSchema,
  topPayersReportSchema,
} from "@tollgate/core/analytics/index";
import { readProcedure, router } from "../trpc.ts";

/** Seller analytics (SPEC §9), read from the rollups: every query is bounded by the range, not the ledger. */
export const analyticsRouter = router({
  overview: readProcedure
    .input(analyticsInputSchema)
    .output(analyticsOverviewSchema)
    .query(({ ctx, input }) => ctx.services.analytics.overview(input)),
  revenue: readProcedure
    .input(analyticsInputSchema)
    .output(revenueSeriesSchema)
    .query(({ ctx, input }) => ctx.services.analytics.revenue(input)),
  funnel: readProcedure
    .input(analyticsInputSchema)
    .output(funnelSchema)
    .query(({ ctx, input }) => ctx.services.analytics.funnel(input)),
  latency: readProcedure
    .input(analyticsInputSchema)
    .output(latencyReportSchema)
    .query(({ ctx, input }) => ctx.services.analytics.latency(input)),
  offers: readProcedure
    .input(analyticsInputSchema)
    .output(offerStatsReportSchema)
    .query(({ ctx, input }) => ctx.services.analytics.offers(input)),
  topPayers: readProcedure
    .input(topPayersInputSchema)
    .output(topPayersReportSchema)
    .query(({ ctx, input }) => ctx.services.analytics.topPayers(input)),
  /** The agents' settled outbound payments (spend) per day and agent. */
  spend: readProcedure
    .input(analyticsInputSchema)
    .output(spendReportSchema)
    .query(({ ctx, input }) => ctx.services.analytics.spend(input)),
});
