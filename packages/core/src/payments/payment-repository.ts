import type { PaymentState } from "../gateway/payment-state.ts";
import type { OfferActivity } from "./offer-activity.ts";
import type { PaymentSummary } from "./payment-schemas.ts";

/** What the gateway records when a payment has been verified, before the upstream is called. */
export interface NewPayment {
  offerId: string;
  offerGeneration: number;
  chain: string;
  network: string;
  testnet: boolean;
  asset: string;
  amount: string;
  payer: string;
  payTo: string;
  nonce: string;
  x402Version: number;
  requestMethod: string;
  requestPath: string;
  facilitator: string;
  /** `exact` unless said otherwise; `upto` rows get `amount` set to what settled after delivery. */
  scheme?: string;
  /** `upto`: the authorized maximum (atomic units). */
  maxAmount?: string;
}

/** A page request of the payments list: filters (all optional) and a keyset cursor. */
export interface PaymentListQuery {
  offerName?: string | undefined;
  state?: PaymentState | undefined;
  chain?: string | undefined;
  payer?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Fields a state transition may set. */
export interface PaymentUpdate {
  upstreamStatus?: number | null;
  latencyMs?: number | null;
  txHash?: string | null;
  reason?: string | null;
  message?: string | null;
  settledAt?: Date | null;
  /** Metered inference: the amount charged (atomic units) and the provider's token usage. */
  amount?: string;
  promptTokens?: number | null;
  completionTokens?: number | null;
  totalTokens?: number | null;
}

/** Settled sums per chain and asset, straight from the ledger. */
export interface RevenueAggregate {
  chain: string;
  network: string;
  testnet: boolean;
  asset: string;
  payments: number;
  amount: string;
}

/** A payment left unresolved (a crash, or a settlement not confirmed in time): enough to ask the chain. */
export interface PendingPayment {
  id: string;
  state: PaymentState;
  /** The settlement transaction, when one was signed (recorded before its broadcast). */
  txHash: string | null;
  chain: string;
  network: string;
  asset: string;
  payer: string;
  nonce: string;
  createdAt: Date;
}

/** How a ledger write is committed. */
export interface WriteOptions {
  /** False: do not wait for the flush to disk (default true). */
  durable?: boolean;
}

/** The payments ledger (implemented over Postgres in packages/db). */
export interface PaymentRepository {
  /** Settled totals, per-day sums since `since`, and the last settlement of the offers named `offerName`. */
  offerActivity(input: { offerName: string; since: Date }): Promise<Omit<OfferActivity, "offer">>;
  /**
   * Inserts a `verified` row. Returns `duplicate` when (network, payer, nonce) already has a row: that
   * authorization paid (or is paying) for another request. `durable: false` (see `transition`) only when a later
   * durable write of the same row must succeed before any money can move (a facilitator that records the
   * transaction hash before the broadcast): that write's flush carries this row to disk too.
   */
  insertVerified(
    payment: NewPayment,
    options?: WriteOptions,
  ): Promise<{ status: "inserted"; id: string } | { status: "duplicate" }>;
  /**
   * Moves a row to `to` if its state allows it; false when it did not (already final, or unknown id).
   * `durable: false` lets the commit return before the database has flushed it to disk (visible to every
   * reader at once, but lost if the database itself crashes within a fraction of a second): only for a move
   * that recovery redoes from the chain, such as `settled` for a row whose transaction hash is already recorded.
   */
  transition(id: string, to: PaymentState, update?: PaymentUpdate, options?: WriteOptions): Promise<boolean>;
  /** Sets fields of a row still `verified`/`delivered`/`settlement_pending`, keeping its state; false otherwise. */
  annotatePending(id: string, update: PaymentUpdate): Promise<boolean>;
  /** Newest first with a (createdAt, id) cursor; the filters combine. */
  list(options: PaymentListQuery): Promise<{
    payments: PaymentSummary[];
    nextCursor: string | null;
  }>;
  /** SUM/COUNT of settled rows per chain, network, testnet and asset (kept as a rollup in the ledger). */
  aggregateSettled(): Promise<RevenueAggregate[]>;
  /**
   * Every payment the filters match as CSV lines (columns of `renderPaymentCsvLine`, formatted by the
   * database), newest first, as UTF-8 chunks of whole lines read only as fast as the caller consumes them:
   * memory stays bounded by a chunk. Leaving the iteration early stops the export.
   */
  csvChunks(filters: Omit<PaymentListQuery, "limit" | "cursor">): AsyncIterable<Uint8Array>;
  /**
   * Unresolved rows; `exceptReplicas` leaves out the rows taken by those server processes (live replicas on
   * one ledger, whose requests are still in progress).
   */
  listPending(options?: {
    states?: readonly PaymentState[];
    limit?: number;
    exceptReplicas?: readonly string[];
  }): Promise<PendingPayment[]>;
}
