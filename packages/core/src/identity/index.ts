export * from "./compute-registered-condition.ts";
export * from "./describe-signer-payee.ts";
export * from "./identity.ts";
export * from "./identity-repository.ts";
export * from "./registration-backoff.ts";
export * from "./create-identity-service.ts";
