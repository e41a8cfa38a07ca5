export * from "./compute-offer-conditions.ts";
export * from "./diff-routes.ts";
export * from "./observations.ts";
export * from "./reconcile-offers.ts";
export * from "./offer-driver.ts";
export * from "./create-work-queue.ts";
export * from "./create-concurrency-limiter.ts";
export * from "./build-published-route.ts";
