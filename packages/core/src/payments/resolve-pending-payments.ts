import type { PaymentState } from "../gateway/payment-state.ts";
import type { PaymentRepository, PendingPayment } from "./payment-repository.ts";

/** What the chain says about one EIP-3009 authorization (and the row's own settlement transaction). */
export interface AuthorizationCheck {
  used: boolean;
  /** The transaction that used it, when it could be found. */
  txHash?: string | null;
  /**
   * Unused, but the row's settlement transaction is still waiting in the node's pool: it may yet move the
   * money, so the payment is not abandoned. (Ask about the transaction before the authorization.)
   */
  inFlight?: boolean;
}

/** Asks the chain whether an authorization (payer, nonce) of a token was used. */
export type CheckAuthorization = (payment: PendingPayment) => Promise<AuthorizationCheck>;

export interface ResolvePendingResult {
  settled: number;
  abandoned: number;
  /** Rows whose transaction is still in flight: they stay (or become) `settlement_pending`. */
  waiting: number;
  /** Rows left pending because the chain could not be asked (retried later). */
  unresolved: number;
}

/**
 * Resolves payments left unresolved — a crash left them `verified`/`delivered`, or their settlement was not
 * confirmed in time (`settlement_pending`): when the chain shows the authorization used, the money moved
 * (`settled`, with the transaction when found); when the row's transaction is still in flight, it waits as
 * `settlement_pending`; otherwise the money never will move for this request (`abandoned`). A chain that
 * cannot be asked leaves the row as it is rather than guessing. `states` limits which rows are looked at
 * (while the server runs, only `settlement_pending`: the others belong to requests in progress).
 */
export async function resolvePendingPayments({
  payments,
  checkAuthorization,
  states,
  exceptReplicas,
  now = () => new Date(),
  onError = () => {},
}: {
  payments: PaymentRepository;
  checkAuthorization: CheckAuthorization;
  states?: readonly PaymentState[];
  /** Rows of these live server processes are left alone (their requests are still in progress). */
  exceptReplicas?: readonly string[] | undefined;
  now?: () => Date;
  onError?: (payment: PendingPayment, error: unknown) => void;
}): Promise<ResolvePendingResult> {
  const result: ResolvePendingResult = { settled: 0, abandoned: 0, waiting: 0, unresolved: 0 };
  const options = { ...(states ? { states } : {}), ...(exceptReplicas ? { exceptReplicas } : {}) };
  for (const payment of await payments.listPending(options)) {
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
        txHash: check.txHash ?? payment.txHash,
        settledAt: now(),
        reason: "recovered",
        message: "Resolved by recovery: the authorization was used on chain",
      });
      if (moved) result.settled += 1;
    } else if (check.inFlight) {
      if (payment.state !== "settlement_pending") {
        await payments.transition(payment.id, "settlement_pending", {
          reason: "recovered",
          message: "The settlement transaction is still waiting to be mined",
        });
      }
      result.waiting += 1;
    } else {
      const moved = await payments.transition(payment.id, "abandoned", {
        reason: "recovered",
        message: payment.txHash
          ? "Resolved by recovery: the settlement transaction did not use the authorization"
          : "Resolved by recovery: the authorization was never used on chain",
      });
      if (moved) result.abandoned += 1;
    }
  }
  return result;
}
