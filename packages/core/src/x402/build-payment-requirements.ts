import type { PaymentRequirements } from "@x402/core/types";
import type { ResolvedChain } from "../chains/resolve-chain.ts";
import type { Offer } from "../offers/offer.ts";
import { toAtomicPerRequest } from "../pricing/format-price.ts";

/**
 * The x402 v2 `exact` requirements for one request to an offer on its resolved chain. Deterministic for an
 * offer generation (clients match them by deep equality): same inputs, same object, same key order.
 * The asset and its EIP-712 domain come from the chain; the amount is per request (approximate units
 * converted per SPEC §5).
 */
export function buildPaymentRequirements(
  offer: Pick<Offer, "payment">,
  chain: Pick<ResolvedChain, "caip2" | "usdc">,
): PaymentRequirements {
  return {
    scheme: "exact",
    network: chain.caip2,
    amount: toAtomicPerRequest({
      price: offer.payment.price,
      unit: offer.payment.unit,
      decimals: chain.usdc.decimals,
    }),
    asset: chain.usdc.address,
    payTo: offer.payment.payTo,
    maxTimeoutSeconds: offer.payment.maxTimeoutSeconds,
    extra: { name: chain.usdc.eip712.name, version: chain.usdc.eip712.version },
  };
}
