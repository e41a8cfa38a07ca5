export * from "./analytics-range.ts";
export * from "./analytics-repository.ts";
export * from "./analytics-schemas.ts";
export * from "./create-analytics-service.ts";
export * from "./create-funnel-counter.ts";
export * from "./latency-buckets.ts";
