/** The states of a payment row (SPEC §9). */
export const paymentStates = [
  "verified",
  "delivered",
  "settlement_pending",
  "settled",
  "settle_failed",
  "upstream_failed",
  "rejected",
  "abandoned",
] as const;

export type PaymentState = (typeof paymentStates)[number];

/**
 * Allowed transitions. `verified` (the row exists before the upstream is called) → `delivered` (the
 * upstream answered < 400) → `settled` | `settle_failed`; `verified` → `upstream_failed` (the upstream
 * answered ≥ 400 or not at all: nothing is settled) | `rejected`; `verified`/`delivered` → `settled` |
 * `abandoned` at recovery, after a crash, by what the chain says. `settlement_pending`: the settlement
 * transaction was broadcast but not confirmed in time (the buyer was served with its hash); recovery moves it
 * to `settled`, or to `abandoned` once the chain proves the authorization was never used.
 */
const transitions: Record<PaymentState, readonly PaymentState[]> = {
  verified: ["delivered", "settlement_pending", "settled", "settle_failed", "upstream_failed", "rejected", "abandoned"],
  delivered: ["settlement_pending", "settled", "settle_failed", "abandoned"],
  settlement_pending: ["settled", "settle_failed", "abandoned"],
  settled: [],
  settle_failed: [],
  upstream_failed: [],
  rejected: [],
  abandoned: [],
};

/** True when a payment may move from `from` to `to`. */
export function canTransitionPayment(from: PaymentState, to: PaymentState): boolean {
  return transitions[from].includes(to);
}

/** The states a payment may be in when it moves to `to` (the guard of a conditional update). */
export function paymentStatesBefore(to: PaymentState): PaymentState[] {
  return paymentStates.filter((from) => canTransitionPayment(from, to));
}

/** True for states no request or recovery will change again. */
export function isFinalPaymentState(state: PaymentState): boolean {
  return transitions[state].length === 0;
}

/** States a crash (or an unconfirmed settlement) leaves behind; recovery resolves them against the chain. */
export const pendingPaymentStates: readonly PaymentState[] = ["verified", "delivered", "settlement_pending"];
