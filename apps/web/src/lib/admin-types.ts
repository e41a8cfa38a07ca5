import type { AppRouter } from "@tollgate/api/trpc";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;

/** An offer as the admin pages get it from `offers.list` / `offers.show`. */
export type AdminOffer = Outputs["offers"]["show"];
export type AdminCondition = AdminOffer["conditions"][number];
export type AdminPayment = Outputs["payments"]["list"]["payments"][number];
export type RevenueReportView = Outputs["payments"]["revenue"];
export type AnalyticsOverviewView = Outputs["analytics"]["overview"];
export type OfferStatsView = AnalyticsOverviewView["offers"]["offers"][number];
