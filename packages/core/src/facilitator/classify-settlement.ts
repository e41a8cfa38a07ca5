import type { SettleResponse } from "@x402/core/types";

/** x402's reason for a settlement whose transaction was broadcast but not confirmed in time. */
export const settlementPendingReason = "settlement_pending";

/**
 * What a settle response means for the payment (SPEC §7 "Uncertain is not failed"): `settled`; `pending` —
 * broadcast, unconfirmed, the money may still move (the buyer is served, recovery decides later); `failed` —
 * provably did not happen (refused before broadcast, or the transaction ran without moving this payment).
 */
export type SettlementOutcome =
  | { status: "settled"; txHash: string }
  | { status: "pending"; txHash: string }
  | { status: "failed"; reason: string; txHash: string | null };

/** Classifies a settle response (x402 marks "pending" as `settlement_pending` with a transaction hash). */
export function classifySettlement(response: SettleResponse): SettlementOutcome {
  if (response.success) return { status: "settled", txHash: response.transaction };
  if (response.errorReason === settlementPendingReason && response.transaction) {
    return { status: "pending", txHash: response.transaction };
  }
  return {
    status: "failed",
    reason: response.errorReason ?? "settlement_failed",
    txHash: response.transaction || null,
  };
}
