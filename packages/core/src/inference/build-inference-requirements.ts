import type { PaymentRequirements } from "@x402/core/types";

/**
 * The requirements a metered inference request is offered (pure): `upto` for the maximum (Permit2; the
 * facilitator's `extra` names the address the buyer's witness binds), then `exact` at that maximum for
 * clients without `upto`. Deterministic for a given offer generation and request body.
 */
export function buildInferenceRequirements({
  exact,
  maximum,
  uptoExtra,
}: {
  /** The offer's `exact` requirements (asset, payee, domain). */
  exact: PaymentRequirements;
  maximum: bigint;
  /** The upto facilitator's `/supported` extra, or null when the chain has no upto facilitator. */
  uptoExtra: Record<string, unknown> | null;
}): PaymentRequirements[] {
  const amount = maximum.toString();
  const exactAtMaximum: PaymentRequirements = { ...exact, amount };
  if (!uptoExtra) return [exactAtMaximum];
  const upto: PaymentRequirements = {
    ...exact,
    scheme: "upto",
    amount,
    extra: { ...exact.extra, assetTransferMethod: "permit2", ...uptoExtra },
  };
  return [upto, exactAtMaximum];
}
