import { type ChainDefinition, findChainByName } from "../chains/index.ts";
import { drainEndOf, isDraining, isServing, type Offer, type OfferCondition } from "../offers/offer.ts";
import type { OfferWithConditions } from "../offers/offer-repository.ts";

/** The conditions that make an offer operationally ready (SPEC §4.2); `Registered` is deliberately not one. */
export const operationalConditions = ["UpstreamHealthy", "ModelReady", "PaymentGateReady", "RoutePublished"] as const;

/** An offer the discovery documents list, with what they derive from its conditions. */
export interface ListedOffer {
  offer: Offer;
  chain: ChainDefinition;
  /** RFC 3339 end of a drain in progress, else null. */
  drainEndsAt: string | null;
  /** Registration is enabled and not (yet) True: the offer sells and is listed meanwhile. */
  registrationPending: boolean;
}

/** True when every operational condition of the offer is True. */
export function isOperationallyReady(conditions: OfferCondition[]): boolean {
  return operationalConditions.every((type) => conditions.some((c) => c.type === type && c.status === "True"));
}

/**
 * The offers the discovery surfaces list: live, serving at `now` (active, or draining before the end) and
 * operationally ready, including those whose registration is still pending; sorted by listing weight
 * (desc), then name.
 */
export function selectListedOffers({ offers, now }: { offers: OfferWithConditions[]; now: Date }): ListedOffer[] {
  const listed: ListedOffer[] = [];
  for (const { offer, conditions } of offers) {
    if (offer.state === "deleted" || !isServing(offer, now) || !isOperationallyReady(conditions)) continue;
    const chain = findChainByName(offer.payment.chain);
    if (!chain) continue;
    const registered = conditions.find((c) => c.type === "Registered");
    const end = isDraining(offer, now) ? drainEndOf(offer) : null;
    listed.push({
      offer,
      chain,
      drainEndsAt: end ? end.toISOString() : null,
      registrationPending: offer.registration.enabled && registered?.status !== "True",
    });
  }
  return listed.sort(compareListed);
}

/** The listing order: listing weight (desc), then name. */
export function compareListed(a: ListedOffer, b: ListedOffer): number {
  return (
    b.offer.listing.weight - a.offer.listing.weight ||
    (a.offer.name < b.offer.name ? -1 : a.offer.name > b.offer.name ? 1 : 0)
  );
}

/** The next moment a listed offer's drain ends (the documents change then), or null. */
export function findNextDrainEnd(listed: ListedOffer[]): Date | null {
  let next: Date | null = null;
  for (const item of listed) {
    if (!item.drainEndsAt) continue;
    const end = new Date(item.drainEndsAt);
    if (!next || end < next) next = end;
  }
  return next;
}
