export * from "./create-storefront-service.ts";
export * from "./try-devnet-schemas.ts";
