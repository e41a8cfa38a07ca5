import type { PublishedRoute } from "../runtime/route-table.ts";
import type { UpstreamObservation } from "./observations.ts";

/** What a driver runs for one offer: its upstream and how to check it (from the offer's spec). */
export interface OfferWorkload {
  /** As stored in the ledger (`http(s)://…`, `demo://…`, later `k8s://…`); the driver resolves it. */
  upstreamUrl: string;
  /** `GET <upstream><healthPath>` must answer 2xx. */
  healthPath: string;
  /** Inference offers also have their upstream's `/v1/models` read. */
  inference: boolean;
}

/** The desired state of one key: the workload to run and watch, and the route to serve (null: serve nothing). */
export interface DesiredOfferState {
  workload: OfferWorkload;
  route: PublishedRoute | null;
}

/** What a driver observes for one key. */
export interface ObservedOfferState {
  /** The upstream as last observed (shared by every key on the same upstream). */
  upstream: UpstreamObservation;
  /** The route the driver serves for this key now, or null. */
  route: PublishedRoute | null;
}

/**
 * The seam between the reconciler and where offers run (SPEC §2 "Drivers"). The reconciler drives one
 * key (an offer id) at a time and never knows which driver it has: `local` (routes in this process's
 * table, upstreams probed over HTTP) or `kubernetes` (ServiceOffers and HTTPRoutes in a cluster).
 *
 * - `observe` reads the observed state of a key's workload. It may do I/O once for a workload the driver
 *   has never seen (the first probe of a new upstream), later answers come from the driver's own watch;
 *   `refresh` asks for a fresh look now (`offers probe`). It throws when the workload cannot be observed
 *   (the reconciler retries that key with backoff).
 * - `apply` makes the key's workload and route match the desired state (idempotent: the same desired
 *   state twice changes nothing).
 * - `remove` forgets a key: its route stops being served and its workload is no longer watched.
 * - `watch` streams observed-state changes as the keys they concern (a changed upstream names every key
 *   behind it); the reconciler enqueues them. Returns the unsubscribe function.
 * - `stop` ends the driver's own loops (probes, watches).
 */
export interface OfferDriver {
  readonly name: string;
  observe(key: string, workload: OfferWorkload, options?: { refresh?: boolean }): Promise<ObservedOfferState>;
  apply(key: string, desired: DesiredOfferState): Promise<void>;
  remove(key: string): Promise<void>;
  watch(listener: (key: string) => void): () => void;
  stop(): Promise<void>;
}
