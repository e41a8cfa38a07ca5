export * from "./errors/error-codes.ts";
export * from "./secrets/secret-store.ts";
export * from "./config/resolve-home.ts";
