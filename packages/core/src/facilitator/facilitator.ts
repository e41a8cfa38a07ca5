import type {
  Network,
  PaymentPayload,
  PaymentRequirements,
  SettleResponse,
  SupportedResponse,
  VerifyResponse,
} from "@x402/core/types";
import type { FacilitatorHealth } from "./facilitator-health.ts";

/** Callbacks a settlement offers its caller (an in-process facilitator calls them; a remote one cannot). */
export interface SettleHooks {
  /**
   * Called with the transaction hash after signing and before the broadcast (again for each replacement): the
   * ledger holds the hash before the transaction exists anywhere, so a crash at any point can be recovered.
   * A rejection stops the broadcast and the settlement fails with nothing moved.
   */
  beforeBroadcast?(txHash: string): Promise<void>;
  /** Called once the node accepted the broadcast (timing only: the latency breakdown of a settlement). */
  afterBroadcast?(): void;
}

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
  /**
   * Executes the payment on chain; `success: false` carries the reason. `errorReason: "settlement_pending"` with
   * a `transaction` means broadcast but not confirmed in time (see `classifySettlement`).
   */
  settle(payload: PaymentPayload, requirements: PaymentRequirements, hooks?: SettleHooks): Promise<SettleResponse>;
  /**
   * True when `settle` of this payment awaits `hooks.beforeBroadcast` before anything can move on chain (and
   * refuses to settle when it rejects). The ledger's record of the hash is then the point that must be on disk,
   * and the verified row need not be flushed before it. Absent or false: settling may move money unannounced.
   */
  recordsBeforeSettling?(payload: PaymentPayload, requirements: PaymentRequirements): boolean;
  /** The payment kinds the facilitator supports (its `/supported`). */
  getSupported(): Promise<SupportedResponse>;
  /** Whether the facilitator answers and supports the `exact` scheme on the network. */
  checkHealth(network: Network): Promise<FacilitatorHealth>;
}
