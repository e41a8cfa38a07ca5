export * from "./compute-model-readiness.ts";
export * from "./create-models-service.ts";
export * from "./model.ts";
export * from "./model-repository.ts";
export * from "./model-schemas.ts";
