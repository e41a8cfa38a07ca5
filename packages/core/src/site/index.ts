export * from "./create-site-settings-service.ts";
