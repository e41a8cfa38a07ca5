export * from "./facilitator.ts";
export * from "./facilitator-health.ts";
