import { findChainByName } from "../chains/find-chain.ts";
import { describeApproximation, formatPrice, isMeteredOffer, toAtomicPerRequest } from "../pricing/format-price.ts";
import { findStoredOfferWarnings } from "./find-stored-offer-warnings.ts";
import { conditionTypes, drainEndOf, type Offer, type OfferCondition } from "./offer.ts";
import type { OfferView } from "./offer-schemas.ts";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function safeAmount(offer: Offer, decimals: number): string | null {
  try {
    return toAtomicPerRequest({ price: offer.payment.price, unit: offer.payment.unit, decimals });
  } catch {
    return null;
  }
}

/** The transport view of an offer with its conditions in SPEC §4.2 order. */
export function toOfferView(offer: Offer, conditions: OfferCondition[] = []): OfferView {
  const chain = findChainByName(offer.payment.chain);
  const symbol = chain?.usdc.symbol ?? "USDC";
  const decimals = chain?.usdc.decimals ?? 6;
  const order = (type: string) => conditionTypes.indexOf(type as (typeof conditionTypes)[number]);
  return {
    id: offer.id,
    name: offer.name,
    type: offer.type,
    upstreamUrl: offer.upstreamUrl,
    healthPath: offer.healthPath,
    path: offer.path,
    model: offer.model,
    description: offer.description,
    listing: { ...offer.listing },
    payment: {
      ...offer.payment,
      display: formatPrice({ price: offer.payment.price, unit: offer.payment.unit, symbol }),
      amountPerRequest: safeAmount(offer, decimals),
      approximation: describeApproximation(offer.payment.unit, isMeteredOffer(offer)),
    },
    maxBodyBytes: offer.maxBodyBytes ?? null,
    registration: structuredClone(offer.registration),
    isDemo: offer.isDemo,
    state: offer.state,
    drainAt: iso(offer.drainAt),
    drainGraceSeconds: offer.drainGraceSeconds,
    drainEndsAt: iso(drainEndOf(offer)),
    deletedAt: iso(offer.deletedAt),
    generation: offer.generation,
    createdAt: offer.createdAt.toISOString(),
    updatedAt: offer.updatedAt.toISOString(),
    conditions: [...conditions]
      .sort((a, b) => order(a.type) - order(b.type))
      .map((c) => ({ ...c, lastTransitionTime: c.lastTransitionTime.toISOString() })),
    warnings: findStoredOfferWarnings(offer),
  };
}
