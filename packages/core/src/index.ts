export * from "./audit/audit-sink.ts";
export * from "./config/resolve-home.ts";
export * from "./errors/error-codes.ts";
export * from "./secrets/secret-store.ts";
export * from "./tokens/api-token-schemas.ts";
export * from "./tokens/manage-api-tokens.ts";
export * from "./version.ts";
