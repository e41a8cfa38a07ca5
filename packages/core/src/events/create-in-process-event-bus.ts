import type { EventBus } from "./event-bus.ts";
import type { TollgateEvent } from "./tollgate-event.ts";

/** The in-process event bus: synchronous fan-out in publish order; a failing listener never reaches the publisher. */
export function createInProcessEventBus(options: { onListenerError?: (error: unknown) => void } = {}): EventBus {
  const listeners = new Set<(event: TollgateEvent) => void>();
  return {
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          // A subscriber's bug must not break a settlement or a reconcile.
          options.onListenerError?.(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
