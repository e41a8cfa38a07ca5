import type { PaymentPayload } from "@x402/core/types";
import type { PaymentPayloadV1 } from "@x402/core/types/v1";
import { decodeBase64Json } from "./base64-json.ts";
import {
  exactEip3009PayloadSchema,
  paymentPayloadV1Schema,
  paymentPayloadV2Schema,
} from "./payment-payload-schemas.ts";

/** x402 header names (lower case, as node:http presents them). */
export const paymentHeaderNames = {
  /** v2 client → server. */
  signature: "payment-signature",
  /** v1 client → server. */
  v1Payment: "x-payment",
  /** v2 server → client with 402. */
  required: "payment-required",
  /** v2 server → client with the settled response. */
  response: "payment-response",
  /** v1 server → client with the settled response. */
  v1Response: "x-payment-response",
} as const;

/** A payment header as the client sent it, parsed and shape-checked. */
export type ParsedPayment = { version: 2; payload: PaymentPayload } | { version: 1; payload: PaymentPayloadV1 };

export type ParsePaymentResult =
  | { status: "absent" }
  | { status: "ok"; payment: ParsedPayment }
  | { status: "malformed"; message: string; hint: string };

const MAX_HEADER_LENGTH = 16 * 1024;

/**
 * Reads the payment from the request headers: `PAYMENT-SIGNATURE` (v2) first, else `X-PAYMENT` (v1).
 * Both are base64 JSON; a value that is not valid base64 JSON of the right x402 version is malformed.
 */
export function parsePaymentHeader(headers: Record<string, string | string[] | undefined>): ParsePaymentResult {
  const v2 = headerValue(headers[paymentHeaderNames.signature]);
  const v1 = headerValue(headers[paymentHeaderNames.v1Payment]);
  const raw = v2 ?? v1;
  if (raw === undefined) return { status: "absent" };
  const name = v2 !== undefined ? "PAYMENT-SIGNATURE" : "X-PAYMENT";
  const version = v2 !== undefined ? 2 : 1;
  const hint = `${name} must be base64 of the x402 v${version} PaymentPayload JSON; an x402 client library builds it from the 402 challenge`;
  if (raw.length > MAX_HEADER_LENGTH) return { status: "malformed", message: `${name} is too long`, hint };
  let decoded: unknown;
  try {
    decoded = decodeBase64Json(raw);
  } catch {
    return { status: "malformed", message: `${name} is not base64-encoded JSON`, hint };
  }
  if (version === 2) {
    const parsed = paymentPayloadV2Schema.safeParse(decoded);
    if (!parsed.success) return { status: "malformed", message: describeIssue(name, parsed.error.issues), hint };
    const inner = checkAuthorization(name, parsed.data.payload, hint);
    if (inner) return inner;
    return { status: "ok", payment: { version: 2, payload: parsed.data as unknown as PaymentPayload } };
  }
  const parsed = paymentPayloadV1Schema.safeParse(decoded);
  if (!parsed.success) return { status: "malformed", message: describeIssue(name, parsed.error.issues), hint };
  const inner = checkAuthorization(name, parsed.data.payload, hint);
  if (inner) return inner;
  return { status: "ok", payment: { version: 1, payload: parsed.data as unknown as PaymentPayloadV1 } };
}

/** An EIP-3009 authorization, when the payload carries one, must be well-formed (integers, hex). */
function checkAuthorization(name: string, payload: Record<string, unknown>, hint: string): ParsePaymentResult | null {
  if (!("authorization" in payload)) return null;
  const checked = exactEip3009PayloadSchema.safeParse(payload);
  if (checked.success) return null;
  return {
    status: "malformed",
    message: describeIssue(
      name,
      checked.error.issues.map((i) => ({ ...i, path: ["payload", ...i.path] })),
    ),
    hint,
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === "" ? undefined : first;
}

function describeIssue(name: string, issues: { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return `${name} is not a valid x402 payment`;
  const path = issue.path.map(String).join(".");
  return `${name} is not a valid x402 payment${path ? ` (${path}: ${issue.message})` : `: ${issue.message}`}`;
}
