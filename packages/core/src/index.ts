export * from "./errors/error-codes.ts";
export * from "./secrets/secret-store.ts";
