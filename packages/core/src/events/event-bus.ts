import type { TollgateEvent } from "./tollgate-event.ts";

/** Where the gateway and the reconciler publish what happened; publishing never throws or blocks. */
export interface EventPublisher {
  publish(event: TollgateEvent): void;
}

/** The in-process bus the live stream (tRPC subscription over SSE) listens to. */
export interface EventBus extends EventPublisher {
  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: TollgateEvent) => void): () => void;
}
