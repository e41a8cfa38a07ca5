import type { PaymentPayload } from "@x402/core/types";

/** Who pays and with which one-time nonce: the ledger's replay key together with the network. */
export interface PaymentAuthorization {
  payer: string | null;
  nonce: string;
}

function asString(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * Reads the payer and the nonce from an `exact` EVM payload: EIP-3009 `authorization.{from, nonce}`, or
 * Permit2 `permit2Authorization.{from, nonce}`. Payloads without a nonce fall back to their signature,
 * which is just as single-use. Addresses and nonces are lower-cased so the unique key cannot be dodged by
 * changing letter case.
 */
export function readPaymentAuthorization(payload: PaymentPayload): PaymentAuthorization | null {
  const inner = payload.payload as Record<string, unknown>;
  const eip3009 = inner.authorization as Record<string, unknown> | undefined;
  const permit2 = inner.permit2Authorization as Record<string, unknown> | undefined;
  const source = eip3009 ?? permit2;
  const payer = asString(source?.from);
  const nonce = asString(source?.nonce) ?? asString(inner.signature);
  if (!nonce) return null;
  return { payer: payer?.toLowerCase() ?? null, nonce: nonce.toLowerCase() };
}
