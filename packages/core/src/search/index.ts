export * from "./create-offer-search-service.ts";
export * from "./offer-search-schemas.ts";
