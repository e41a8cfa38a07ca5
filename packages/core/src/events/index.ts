export * from "./create-in-process-event-bus.ts";
export * from "./event-bus.ts";
export * from "./tollgate-event.ts";
