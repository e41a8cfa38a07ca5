import type {
  Network,
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  SupportedResponse,
  VerifyResponse,
} from "@x402/core/types";
import type { FacilitatorHealth } from "./facilitator-health.ts";

/**
 * What the payment gate needs from an x402 facilitator, in x402 v2 shapes. Implemented by the in-process
 * facilitator (devnet and any chain whose gas key we hold) and by an HTTP facilitator client.
 */
export interface Facilitator {
  /** `local` (in-process) or `http` (remote URL). */
  readonly kind: "local" | "http";
  /** Human label: `local` or the facilitator URL. */
  readonly label: string;
  /** Checks a payment against requirements without moving money. */
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  /** Executes the payment on chain; `success: false` carries the reason. */
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
  /** The payment kinds the facilitator supports (its `/supported`). */
  getSupported(): Promise<SupportedResponse>;
  /** Whether the facilitator answers and supports the `exact` scheme on the network. */
  checkHealth(network: Network): Promise<FacilitatorHealth>;
}
