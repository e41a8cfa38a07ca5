import { findChainByName } from "../chains/find-chain.ts";
import type { ResolvedChain } from "../chains/resolve-chain.ts";
import { drainEndOf, isDraining, type Offer } from "../offers/offer.ts";
import { formatPrice } from "../pricing/format-price.ts";
import { toAtomicAmount } from "../pricing/to-atomic-amount.ts";
import type { PublishedRoute } from "../runtime/route-table.ts";
import { buildPaymentRequirements } from "../x402/build-payment-requirements.ts";

/** The route the gateway serves for a publishable offer on `chain`, proxying to `upstreamUrl` (pure). */
export function buildPublishedRoute({
  offer,
  chain,
  upstreamUrl,
  sellsLedgerModel = false,
  available = true,
  now,
}: {
  offer: Offer;
  chain: ResolvedChain;
  upstreamUrl: string;
  /** The offer sells a ledger model through its provider (the gateway then names the model upstream). */
  sellsLedgerModel?: boolean;
  /** False: routed but answering 503 without charging (a ledger model whose provider is down). */
  available?: boolean;
  now: Date;
}): PublishedRoute {
  const end = drainEndOf(offer);
  return {
    offerId: offer.id,
    name: offer.name,
    generation: offer.generation,
    type: offer.type,
    model: sellsLedgerModel ? offer.model : null,
    unit: offer.payment.unit,
    unitPriceAtomic: toAtomicAmount({
      amount: offer.payment.price,
      decimals: chain.usdc.decimals,
      field: "payment.price",
      excessDecimals: "round-half-up",
    }),
    ...(available ? {} : { available: false }),
    path: offer.path,
    upstreamUrl,
    chain: chain.name,
    testnet: chain.testnet,
    description: offer.description,
    priceDisplay: formatPrice({
      price: offer.payment.price,
      unit: offer.payment.unit,
      symbol: findChainByName(chain.name)?.usdc.symbol ?? chain.usdc.symbol,
    }),
    requirements: buildPaymentRequirements(offer, chain),
    drainEndsAt: end && isDraining(offer, now) ? end.toISOString() : null,
    ...(offer.maxBodyBytes == null ? {} : { maxBodyBytes: offer.maxBodyBytes }),
  };
}
