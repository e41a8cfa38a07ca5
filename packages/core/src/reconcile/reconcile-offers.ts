import type { IdentityRecord } from "../identity/identity.ts";
import { drainEndOf, isDraining, type Offer } from "../offers/offer.ts";
import type { ConditionUpdate } from "../offers/offer-repository.ts";
import type { PublishedRoute } from "../runtime/route-table.ts";
import { buildPublishedRoute } from "./build-published-route.ts";
import { computeOfferConditions, findPathHolders, type ModelReadyInput } from "./compute-offer-conditions.ts";
import type { GateObservation, UpstreamObservation } from "./observations.ts";

/** The desired state a reconcile computed: conditions per offer, the routes to serve, when to run again. */
export interface ReconcilePlan {
  conditions: Map<string, ConditionUpdate[]>;
  routes: PublishedRoute[];
  /** The next drain end in the future: a run then unpublishes the offer on time. */
  nextWakeAt: Date | null;
}

/**
 * Computes desired state from the ledger's live offers and what the driver observed (pure): each offer's
 * conditions, and a route for every offer that is operationally ready, draining ones included until their
 * drain ends. Deleted offers are never published.
 */
export function reconcileOffers({
  offers,
  upstreams,
  gates,
  identities,
  models,
  now,
}: {
  offers: Offer[];
  upstreams: Map<string, UpstreamObservation>;
  gates: Map<string, GateObservation>;
  /** ERC-8004 identities by chain name (the `Registered` condition reads them). */
  identities?: Map<string, IdentityRecord> | undefined;
  /** `ModelReady` by offer id, for inference offers that sell a ledger model. */
  models?: Map<string, ModelReadyInput> | undefined;
  now: Date;
}): ReconcilePlan {
  const live = offers.filter((o) => o.state !== "deleted");
  const holders = findPathHolders(live, now);
  const conditions = new Map<string, ConditionUpdate[]>();
  const routes: PublishedRoute[] = [];
  let nextWakeAt: Date | null = null;
  for (const offer of live) {
    const upstream = upstreams.get(offer.id);
    const gate = gates.get(offer.payment.chain);
    const identity = identities?.get(offer.payment.chain) ?? null;
    const result = computeOfferConditions({
      offer,
      upstream,
      gate,
      pathHolder: holders.get(offer.path),
      identity,
      model: models?.get(offer.id),
      now,
    });
    conditions.set(offer.id, result.conditions);
    const end = drainEndOf(offer);
    if (end && isDraining(offer, now) && (!nextWakeAt || end < nextWakeAt)) nextWakeAt = end;
    const model = models?.get(offer.id);
    // An offer selling a ledger model whose provider is down stays routed as unavailable: 503, never charged.
    const waiting = model !== undefined && result.conditions.some((c) => c.reason === "WaitingForUpstream");
    if (!(result.publish || waiting) || gate?.status !== "ready" || !upstream?.url) continue;
    routes.push(
      buildPublishedRoute({
        offer,
        chain: gate.chain,
        upstreamUrl: upstream.url,
        sellsLedgerModel: model !== undefined,
        available: !waiting,
        now,
      }),
    );
  }
  routes.sort((a, b) => a.path.localeCompare(b.path));
  return { conditions, routes, nextWakeAt };
}
