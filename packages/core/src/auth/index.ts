export * from "./admin-auth-repository.ts";
export * from "./auth-schemas.ts";
export * from "./create-admin-auth-service.ts";
export * from "./login-brake.ts";
