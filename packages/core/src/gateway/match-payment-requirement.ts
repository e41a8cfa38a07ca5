import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { toV1Network } from "./build-payment-required.ts";
import type { ParsedPayment } from "./payment-headers.ts";

/** Structural equality of JSON values (key order ignored), as x402 servers match `accepted`. */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqualJson(item, other[i]));
  }
  const left = Object.entries(a as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const right = Object.entries(b as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (left.length !== right.length) return false;
  const rightMap = new Map(right);
  return left.every(([key, value]) => rightMap.has(key) && deepEqualJson(value, rightMap.get(key)));
}

export type MatchPaymentResult =
  | { matched: true; payload: PaymentPayload; requirements: PaymentRequirements }
  | { matched: false; message: string };

function sameAddress(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/**
 * Finds the route requirement a payment pays for. v2: `payload.accepted` deep-equals a requirement.
 * v1: same scheme and network (v1 name or CAIP-2), and, when the EIP-3009 authorization states them,
 * the same amount and payee. A v1 payment comes back as the equivalent v2 payload, so the facilitator
 * only ever sees v2 shapes.
 */
export function matchPaymentRequirement({
  payment,
  accepts,
}: {
  payment: ParsedPayment;
  accepts: PaymentRequirements[];
}): MatchPaymentResult {
  if (payment.version === 2) {
    const found = accepts.find((requirements) => deepEqualJson(payment.payload.accepted, requirements));
    if (found) return { matched: true, payload: payment.payload, requirements: found };
    return {
      matched: false,
      message: "The payment's `accepted` requirements do not equal any requirement this route offers",
    };
  }
  const v1 = payment.payload;
  const authorization = (v1.payload as { authorization?: { to?: unknown; value?: unknown } }).authorization;
  const found = accepts.find(
    (requirements) =>
      v1.scheme === requirements.scheme &&
      (v1.network === requirements.network || v1.network === toV1Network(requirements.network)) &&
      (authorization?.value === undefined || String(authorization.value) === requirements.amount) &&
      (authorization?.to === undefined || sameAddress(authorization.to, requirements.payTo)),
  );
  if (!found) {
    return {
      matched: false,
      message: `No requirement of this route matches scheme "${v1.scheme}" on network "${v1.network}" with that amount and payee`,
    };
  }
  return {
    matched: true,
    requirements: found,
    payload: { x402Version: 2, accepted: found, payload: v1.payload },
  };
}
