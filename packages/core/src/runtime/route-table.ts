import type { PaymentRequirements } from "@x402/core/types";
import type { ChainName } from "../chains/chain-table.ts";

/**
 * A route the gateway serves, as the reconciler published it from an operationally ready offer.
 * `requirements` is deterministic for the offer's generation (x402 clients match it by deep equality).
 */
export interface PublishedRoute {
  offerId: string;
  name: string;
  generation: number;
  type: "http" | "inference" | "agent";
  /** The ledger model an inference offer sells (the gateway serves its OpenAI-compatible API), else null. */
  model?: string | null;
  /** The offer's price unit (`mtok` with a ledger model: charged per token with `upto`). */
  unit?: "request" | "mtok" | "hour";
  /** The offer's price per unit in atomic units of the asset (per million tokens for `mtok`). */
  unitPriceAtomic?: string;
  /** False while a ledger model's provider is down: the gateway answers 503 and charges nothing. */
  available?: boolean;
  /** Every requirement the 402 offers, when more than `requirements` (a metered request: `upto`, then `exact`). */
  accepts?: PaymentRequirements[];
  /** Path prefix, e.g. `/services/hello`. */
  path: string;
  upstreamUrl: string;
  chain: ChainName;
  testnet: boolean;
  description: string;
  /** Display price, e.g. `0.01 USDC/request` (approximate units say so). */
  priceDisplay: string;
  requirements: PaymentRequirements;
  /** RFC 3339 end of a drain in progress, else null. */
  drainEndsAt: string | null;
  /** The offer's largest paid request body in bytes; absent: the server's default. */
  maxBodyBytes?: number;
}

/** The in-memory table of published routes: written by the reconciler's driver, read by the gateway on every request. */
export interface RouteTable {
  /** The route whose path is the longest prefix of `pathname` (on a `/` boundary), with the rest of the path. */
  match(pathname: string): { route: PublishedRoute; rest: string } | null;
  list(): PublishedRoute[];
  /** Replaces the whole table atomically. */
  replace(routes: PublishedRoute[]): void;
  /** Serves `route` for its offer (replacing the offer's previous route); cost independent of the table's size. */
  set(route: PublishedRoute): void;
  /** Stops serving the offer's route, if any. */
  delete(offerId: string): void;
  /** The route currently served for an offer, or null. */
  get(offerId: string): PublishedRoute | null;
}
