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
