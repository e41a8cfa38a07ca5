import type { PriceUnit } from "../offers/offer.ts";
import { toAtomicAmount } from "./to-atomic-amount.ts";

/** Tokens per request and seconds per request assumed for per-request charging (SPEC §5). */
export const approximations = { tokensPerRequest: 1_000n, secondsPerRequest: 300n } as const;

/** True when the unit is charged per request by a declared approximation. */
export function isApproximateUnit(unit: PriceUnit): boolean {
  return unit !== "request";
}

/** Strips trailing zeros of a decimal string ("0.0100" → "0.01", "5.0" → "5"). */
export function normalizeDecimal(amount: string): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  const trimmedWhole = whole.replace(/^0+(?=\d)/, "");
  const trimmedFraction = fraction.replace(/0+$/, "");
  return trimmedFraction ? `${trimmedWhole}.${trimmedFraction}` : trimmedWhole;
}

/** The display price of an offer, e.g. `0.01 USDC/request`, `2 USDC/mtok`, `1 USDC/hour`. */
export function formatPrice({ price, unit, symbol }: { price: string; unit: PriceUnit; symbol: string }): string {
  return `${normalizeDecimal(price)} ${symbol}/${unit}`;
}

/**
 * The atomic amount charged per request, with integer arithmetic (round half up): the price itself for
 * `request`; price × 1,000 / 1,000,000 tokens for `mtok`; price × 300 s / 3,600 s for `hour`.
 */
export function toAtomicPerRequest({
  price,
  unit,
  decimals,
}: {
  price: string;
  unit: PriceUnit;
  decimals: number;
}): string {
  // Digits beyond the asset's decimals are refused at create/update; a stored row that has them still
  // serves, rounded half up, rather than disappearing (SPEC §4.3).
  const atomic = BigInt(
    toAtomicAmount({ amount: price, decimals, field: "payment.price", excessDecimals: "round-half-up" }),
  );
  if (unit === "request") return atomic.toString();
  const [numerator, denominator] =
    unit === "mtok" ? [approximations.tokensPerRequest, 1_000_000n] : [approximations.secondsPerRequest, 3_600n];
  const scaled = atomic * numerator;
  let perRequest = scaled / denominator;
  if ((scaled % denominator) * 2n >= denominator) perRequest += 1n;
  // Never charge zero for a positive price: the smallest unit is the floor.
  return (perRequest === 0n ? 1n : perRequest).toString();
}

/** The per-token charging of a per-mtok offer that sells a ledger model (x402 `upto`). */
export const meteredTokensDescription =
  "you pay for what you use: ceil(total tokens × price) per request, settled with x402 upto after the reply (never more than the maximum you authorize, which max_tokens sets); exact at that maximum is also accepted";

/** True for an offer charged by the token it used: per-mtok and selling a ledger model (`model://`). */
export function isMeteredOffer(offer: { upstreamUrl: string; payment: { unit: PriceUnit } }): boolean {
  return offer.payment.unit === "mtok" && offer.upstreamUrl.startsWith("model://");
}

/** The sentence every surface shows next to an approximate (or metered) price, or null for `request`. */
export function describeApproximation(unit: PriceUnit, metered = false): string | null {
  if (unit === "mtok" && metered) return meteredTokensDescription;
  if (unit === "mtok") return "approximate: charged per request as 1,000 tokens until exact metering exists";
  if (unit === "hour") return "approximate: charged per request as 5 minutes of access until exact metering exists";
  return null;
}
