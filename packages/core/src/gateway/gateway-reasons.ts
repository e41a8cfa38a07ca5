import type { ErrorCode } from "../errors/error-codes.ts";

/**
 * Stable reason strings the gateway answers with, in the style of x402's own reasons. A facilitator's
 * `invalidReason` / `errorReason` passes through as is; these are the gateway's own.
 */
export const gatewayReasons = {
  noSuchService: "no_such_service",
  paymentRequired: "payment_required",
  invalidPaymentHeader: "invalid_payment_header",
  invalidPath: "invalid_path",
  payloadTooLarge: "payload_too_large",
  noMatchingRequirement: "no_matching_requirement",
  paymentAlreadyUsed: "payment_already_used",
  facilitatorUnavailable: "facilitator_unavailable",
  chainNotConfigured: "chain_not_configured",
  ledgerUnavailable: "ledger_unavailable",
  settlementFailed: "settlement_failed",
  upstreamUnreachable: "upstream_unreachable",
  upstreamError: "upstream_error",
  /** The upstream reaches one of the server's own ports (itself, its PostgreSQL, the devnet). */
  upstreamForbidden: "upstream_forbidden",
  noBytesDelivered: "no_bytes_delivered",
  clientClosed: "client_closed",
  verificationFailed: "verification_failed",
} as const;

export type GatewayReason = (typeof gatewayReasons)[keyof typeof gatewayReasons];

/** The JSON body of a gateway refusal: the error table's code plus an x402-style `reason`. */
export interface GatewayErrorBody {
  code: ErrorCode;
  error: string;
  reason: string;
  hint?: string;
  retriable?: boolean;
}

/** Builds a gateway error body (never a stack trace). */
export function buildGatewayError({
  code,
  reason,
  message,
  hint,
  retriable,
}: {
  code: ErrorCode;
  reason: string;
  message: string;
  hint?: string | undefined;
  retriable?: boolean | undefined;
}): GatewayErrorBody {
  const body: GatewayErrorBody = { code, error: message, reason };
  if (hint !== undefined) body.hint = hint;
  if (retriable !== undefined) body.retriable = retriable;
  return body;
}
