import type { TollgateEvent, TollgateEventOf, TollgateEventType } from "./tollgate-event.ts";

/** Where the gateway, the services and the loops publish what happened; publishing never throws or blocks. */
export interface EventPublisher {
  publish(event: TollgateEvent): void;
}

/**
 * The event bus the loops talk through (SPEC §2 "one composition root"): ledger-change events
 * (`offer.changed`, `identity.changed`, `settings.changed`, `ledger.replaced`), observed changes
 * (`conditions`) and payments (`payment.changed`). Implementations: in-process (one server, `createInProcessEventBus`) and,
 * for several servers on one ledger, one backed by Postgres `LISTEN/NOTIFY`. Delivery is at most once per
 * subscriber and in publish order; subscribers must be quick (enqueue work, never await it).
 */
export interface EventBus extends EventPublisher {
  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: TollgateEvent) => void): () => void;
}

/** Subscribes to the events of the given types only. */
export function subscribeTo<T extends TollgateEventType>(
  bus: EventBus,
  types: readonly T[],
  listener: (event: TollgateEventOf<T>) => void,
): () => void {
  const wanted = new Set<TollgateEventType>(types);
  return bus.subscribe((event) => {
    if (wanted.has(event.type)) listener(event as TollgateEventOf<T>);
  });
}
