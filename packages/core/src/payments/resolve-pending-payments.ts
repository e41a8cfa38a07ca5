import type { PaymentRepository, PendingPayment } from "./payment-repository.ts";

/** What the chain says about one EIP-3009 authorization. */
export interface AuthorizationCheck {
  used: boolean;
  /** The transaction that used it, when it could be found. */
  txHash?: string | null;
}

/** Asks the chain whether an authorization (payer, nonce) of a token was used. */
export type CheckAuthorization = (payment: PendingPayment) => Promise<AuthorizationCheck>;

export interface ResolvePendingResult {
  settled: number;
  abandoned: number;
  /** Rows left pending because the chain could not be asked (retried at the next start). */
  unresolved: number;
}

/**
 * Resolves payments a crash left in `verified`/`delivered`: when the chain shows the authorization used,
 * the money moved (`settled`, with the transaction when found); otherwise it never will from this request
 * (`abandoned`). A chain that cannot be asked leaves the row pending rather than guessing.
 */
export async function resolvePendingPayments({
  payments,
  checkAuthorization,
  now = () => new Date(),
  onError = () => {},
}: {
  payments: PaymentRepository;
  checkAuthorization: CheckAuthorization;
  now?: () => Date;
  onError?: (payment: PendingPayment, error: unknown) => void;
}): Promise<ResolvePendingResult> {
  const result: ResolvePendingResult = { settled: 0, abandoned: 0, unresolved: 0 };
  for (const payment of await payments.listPending()) {
    let check: AuthorizationCheck;
    try {
      check = await checkAuthorization(payment);
    } catch (error) {
      onError(payment, error);
      result.unresolved += 1;
      continue;
    }
    if (check.used) {
      const moved = await payments.transition(payment.id, "settled", {
        txHash: check.txHash ?? null,
        settledAt: now(),
        reason: "recovered",
        message: "Resolved at start: the authorization was used on chain",
      });
      if (moved) result.settled += 1;
    } else {
      const moved = await payments.transition(payment.id, "abandoned", {
        reason: "recovered",
        message: "Resolved at start: the authorization was never used on chain",
      });
      if (moved) result.abandoned += 1;
    }
  }
  return result;
}
