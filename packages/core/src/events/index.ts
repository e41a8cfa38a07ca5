export * from "./event-bus.ts";
export * from "./tollgate-event.ts";
