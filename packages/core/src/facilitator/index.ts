export * from "./facilitator.ts";
export * from "./facilitator-health.ts";
export * from "./classify-settlement.ts";
