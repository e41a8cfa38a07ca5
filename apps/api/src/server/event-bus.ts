import type { EventBus, TollgateEvent } from "@tollgate/core";

/** The in-process event bus: synchronous fan-out; a failing listener never reaches the publisher. */
export function createEventBus(): EventBus {
  const listeners = new Set<(event: TollgateEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A subscriber's bug must not break a settlement or a reconcile.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
