export * from "./compute-offer-conditions.ts";
export * from "./diff-routes.ts";
export * from "./observations.ts";
export * from "./reconcile-offers.ts";
