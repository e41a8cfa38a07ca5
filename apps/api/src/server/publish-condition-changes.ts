import type { EventPublisher, OfferRepository } from "@tollgate/core";

/**
 * Wraps the offer repository so that every `saveConditions` that changes an offer's conditions (status,
 * reason, message or generation) publishes a `conditions` event. The reconciler saves on every run, so
 * unchanged saves are filtered here against the last saved set per offer.
 */
export function publishConditionChanges(repo: OfferRepository, events: EventPublisher): OfferRepository {
  const last = new Map<string, string>();
  return {
    ...repo,
    async saveConditions(offerId, conditions, now) {
      await repo.saveConditions(offerId, conditions, now);
      const key = JSON.stringify(conditions.map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration]));
      if (last.get(offerId) === key) return;
      last.set(offerId, key);
      events.publish({ type: "conditions", offerId, at: now.toISOString() });
    },
  };
}
