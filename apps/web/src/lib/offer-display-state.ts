import type { AdminOffer } from "./admin-types.ts";

/** What the admin tables filter on: the ledger state, with a stopped offer inside its grace as `draining`. */
export type OfferDisplayState = "active" | "draining" | "stopped" | "deleted";

export const offerDisplayStates: OfferDisplayState[] = ["active", "draining", "stopped", "deleted"];

/** The display state of an offer at `now`. */
export function getOfferDisplayState(offer: Pick<AdminOffer, "state" | "drainEndsAt">, now: number): OfferDisplayState {
  if (offer.state === "stopped" && offer.drainEndsAt && new Date(offer.drainEndsAt).getTime() > now) return "draining";
  return offer.state;
}

/** The `Ready` condition, or null before the first reconcile. */
export function findCondition(offer: Pick<AdminOffer, "conditions">, type: string) {
  return offer.conditions.find((c) => c.type === type) ?? null;
}
