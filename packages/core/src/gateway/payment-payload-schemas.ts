import { z } from "zod";

// The x402 payment payload shapes (`@x402/core` types), checked with the app's zod 4 (several times faster
// than x402's own zod 3 schemas on the hot path). Unknown keys are kept, not stripped: `accepted` is
// matched by deep equality, so whatever the client sent is what gets compared.

const nonEmpty = z.string().min(1);

/** x402 v2 `PaymentRequirements` as a client echoes it in `accepted`. */
export const paymentRequirementsV2Schema = z.looseObject({
  scheme: nonEmpty,
  network: z.string().regex(/^[^:\s]+:[^\s]+$/, "must be a CAIP-2 id such as eip155:8453"),
  amount: nonEmpty,
  asset: nonEmpty,
  payTo: nonEmpty,
  maxTimeoutSeconds: z.number(),
  extra: z.record(z.string(), z.unknown()),
});

/** x402 v2 `PaymentPayload` (the `PAYMENT-SIGNATURE` header). */
export const paymentPayloadV2Schema = z.looseObject({
  x402Version: z.literal(2),
  resource: z.looseObject({ url: z.string() }).nullish(),
  accepted: paymentRequirementsV2Schema,
  payload: z.record(z.string(), z.unknown()),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});

/** x402 v1 `PaymentPayload` (the `X-PAYMENT` header). */
export const paymentPayloadV1Schema = z.looseObject({
  x402Version: z.literal(1),
  scheme: nonEmpty,
  network: nonEmpty,
  payload: z.record(z.string(), z.unknown()),
});

const uintString = z.string().regex(/^\d{1,78}$/, "must be a non-negative integer string");
const evmAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 20-byte hex address");

/**
 * The EIP-3009 authorization inside an `exact` EVM payload: numbers as integer strings, addresses and the
 * nonce as hex, so "abc" or "1e400" is a malformed header (400), never a facilitator failure.
 */
export const eip3009AuthorizationSchema = z.looseObject({
  from: evmAddress,
  to: evmAddress,
  value: uintString,
  validAfter: uintString,
  validBefore: uintString,
  nonce: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte hex nonce"),
});

/** The `payload` of an `exact` EVM payment carrying an EIP-3009 authorization. */
export const exactEip3009PayloadSchema = z.looseObject({
  signature: z.string().regex(/^0x[0-9a-fA-F]*$/, "must be hex"),
  authorization: eip3009AuthorizationSchema,
});
