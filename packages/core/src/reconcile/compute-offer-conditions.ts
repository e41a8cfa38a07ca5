import { computeRegisteredCondition } from "../identity/compute-registered-condition.ts";
import type { IdentityRecord } from "../identity/identity.ts";
import { findStoredOfferWarnings } from "../offers/find-stored-offer-warnings.ts";
import { drainEndOf, isServing, type Offer } from "../offers/offer.ts";
import type { ConditionUpdate } from "../offers/offer-repository.ts";
import { findReservedPath } from "../offers/reserved-paths.ts";
import { toAtomicPerRequest } from "../pricing/format-price.ts";
import type { GateObservation, UpstreamObservation } from "./observations.ts";

/** The `ModelReady` condition of a ledger model, as the model monitor computed it. */
export interface ModelReadyInput {
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

/** What a reconcile decided for one offer: its conditions and whether its route is published. */
export interface OfferReconcileResult {
  conditions: ConditionUpdate[];
  publish: boolean;
}

/** Who holds each path: the oldest serving offer (createdAt, then id) keeps it (SPEC §4.3). */
export function findPathHolders(offers: Offer[], now: Date): Map<string, Offer> {
  const holders = new Map<string, Offer>();
  const serving = offers
    .filter((o) => o.state !== "deleted" && isServing(o, now))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  for (const offer of serving) if (!holders.has(offer.path)) holders.set(offer.path, offer);
  return holders;
}

/**
 * The conditions of SPEC §4.2 for one live offer, in order, with their stable reasons, from what the driver
 * observed at `now`. Missing observations read as Unknown. A stored offer that a newer rule rejects still
 * gets its conditions (and serves); the rules it breaks are named in the Ready message.
 */
export function computeOfferConditions({
  offer,
  upstream,
  gate,
  pathHolder,
  identity,
  model,
  now,
}: {
  offer: Offer;
  upstream: UpstreamObservation | undefined;
  gate: GateObservation | undefined;
  /** The offer that holds this offer's path, if any. */
  pathHolder: Offer | undefined;
  /** The ERC-8004 identity of the offer's chain (null: none yet); drives `Registered`. */
  identity?: IdentityRecord | null | undefined;
  /** `ModelReady` of the ledger model an inference offer sells (from the model monitor); replaces the upstream's list. */
  model?: ModelReadyInput | undefined;
  now: Date;
}): OfferReconcileResult {
  const g = offer.generation;
  const out: ConditionUpdate[] = [];
  const add = (type: ConditionUpdate["type"], status: ConditionUpdate["status"], reason: string, message = "") =>
    out.push({ type, status, reason, message, observedGeneration: g });

  // UpstreamHealthy
  if (!upstream) add("UpstreamHealthy", "Unknown", "Probing", "not probed yet");
  else if (upstream.health.ok) add("UpstreamHealthy", "True", "Healthy", upstream.health.message ?? "");
  else add("UpstreamHealthy", "False", upstream.health.reason, upstream.health.message);
  const upstreamOk = upstream?.health.ok === true;

  // ModelReady
  let modelOk = true;
  if (offer.type !== "inference") add("ModelReady", "True", "Skipped", `not an inference offer`);
  else if (model) {
    modelOk = model.status === "True";
    add("ModelReady", model.status, model.reason, model.message);
  } else if (!offer.model) {
    modelOk = false;
    add("ModelReady", "False", "MissingModel", "the offer names no model");
  } else if (!upstream?.models) {
    modelOk = false;
    add("ModelReady", "Unknown", "Probing", "model list not read yet");
  } else if (!upstream.models.ok) {
    modelOk = false;
    add("ModelReady", "False", "ModelNotServed", `cannot read /v1/models: ${upstream.models.message}`);
  } else if (!upstream.models.ids.includes(offer.model)) {
    modelOk = false;
    const listed = upstream.models.ids.slice(0, 10).join(", ") || "none";
    add("ModelReady", "False", "ModelNotServed", `/v1/models does not list ${offer.model} (it lists ${listed})`);
  } else add("ModelReady", "True", "ModelServed", `${offer.model} is listed`);

  // PaymentGateReady
  let gateOk = false;
  if (!gate) add("PaymentGateReady", "Unknown", "Checking", "payment gate not checked yet");
  else if (gate.status === "unavailable") add("PaymentGateReady", "False", gate.reason, gate.message);
  else if (gate.chain.usdc.address.toLowerCase() !== offer.payment.asset.toLowerCase()) {
    add(
      "PaymentGateReady",
      "False",
      "UnsupportedAsset",
      `asset ${offer.payment.asset} is not ${gate.chain.usdc.symbol} on ${gate.chain.name} (${gate.chain.usdc.address}); update the offer's chain`,
    );
  } else {
    let amount: string | null = null;
    try {
      amount = toAtomicPerRequest({
        price: offer.payment.price,
        unit: offer.payment.unit,
        decimals: gate.chain.usdc.decimals,
      });
    } catch {
      amount = null;
    }
    if (amount === null)
      add("PaymentGateReady", "False", "ZeroPrice", `price "${offer.payment.price}" is not positive`);
    else {
      gateOk = true;
      add("PaymentGateReady", "True", "Ready", `exact on ${gate.chain.caip2} via ${gate.facilitator}`);
    }
  }

  // RoutePublished
  const serving = isServing(offer, now);
  const reserved = findReservedPath(offer.path);
  let publish = false;
  if (!serving) add("RoutePublished", "False", "Drained", "the offer is stopped and its drain has ended");
  else if (reserved) add("RoutePublished", "False", "ReservedPath", `${offer.path} is reserved (${reserved})`);
  else if (pathHolder && pathHolder.id !== offer.id)
    add("RoutePublished", "False", "PathConflict", `${offer.path} is held by the older offer "${pathHolder.name}"`);
  else if (!gateOk) add("RoutePublished", "False", "WaitingForPaymentGate", "the payment gate is not ready");
  else if (!upstreamOk || !modelOk)
    add("RoutePublished", "False", "WaitingForUpstream", "the upstream is not healthy or does not serve the model");
  else {
    publish = true;
    add("RoutePublished", "True", "Published", `${offer.path} is served`);
  }

  // Registered (from the chain's Identity row; see identity/compute-registered-condition.ts)
  const registered = computeRegisteredCondition({ offer, identity });
  add("Registered", registered.status, registered.reason, registered.message);

  // Draining
  const end = drainEndOf(offer);
  if (offer.state === "active" || !end) add("Draining", "False", "Active", "");
  else if (serving) add("Draining", "True", "Draining", `drain ends ${end.toISOString()}`);
  else add("Draining", "False", "Drained", `drain ended ${end.toISOString()}`);

  // Ready
  const pending = out.filter((c) => c.type !== "Draining" && c.status !== "True").map((c) => `${c.type}=${c.reason}`);
  const warnings = findStoredOfferWarnings(offer);
  const warning = warnings.length ? `warning: stored offer breaks newer rules (${warnings.join("; ")})` : "";
  if (pending.length === 0) add("Ready", "True", "Ready", warning);
  else add("Ready", "False", "Reconciling", [`waiting for ${pending.join(", ")}`, warning].filter(Boolean).join("; "));
  return { conditions: out, publish };
}
