export * from "./create-payments-service.ts";
export * from "./describe-asset.ts";
export * from "./format-atomic-amount.ts";
export * from "./offer-activity.ts";
export * from "./payment-repository.ts";
export * from "./payment-schemas.ts";
export * from "./resolve-pending-payments.ts";
export * from "./render-payments-csv.ts";
