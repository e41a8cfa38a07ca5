import {
  type ModelReadiness,
  type ModelReadyInput,
  type Offer,
  parseModelUpstreamUrl,
  providerApiRoot,
  type UpstreamObservation,
} from "@tollgate/core";

/** What the reconciler needs about a ledger model: its provider and its `ModelReady`. */
export interface ModelObservation {
  /** The provider's base URL (never carries the key). */
  baseUrl: string;
  readiness: ModelReadiness;
}

/**
 * For an inference offer that sells a ledger model (`model://M`): its upstream observation (the provider,
 * healthy when its model list could be read) and its `ModelReady`, from the model monitor. Null for any
 * other offer, which the reconciler probes itself.
 */
export function offerModelObservation(
  offer: Pick<Offer, "type" | "upstreamUrl">,
  models: Map<string, ModelObservation>,
): { upstream: UpstreamObservation; model: ModelReadyInput } | null {
  if (offer.type !== "inference") return null;
  const name = parseModelUpstreamUrl(offer.upstreamUrl);
  if (!name) return null;
  const observed = models.get(name);
  if (!observed) {
    const message = `model ${name} has not been probed yet`;
    return {
      upstream: { url: null, health: { ok: false, reason: "Unreachable", message } },
      model: { status: "Unknown", reason: "Probing", message },
    };
  }
  const { readiness } = observed;
  const providerDown = readiness.reason === "ProviderUnreachable" || readiness.reason === "ProviderError";
  return {
    upstream: {
      url: providerApiRoot(observed.baseUrl),
      health: providerDown
        ? {
            ok: false,
            reason: readiness.reason === "ProviderError" ? "Unhealthy" : "Unreachable",
            message: readiness.message,
          }
        : { ok: true, message: `provider of ${name} answers /v1/models` },
    },
    model: { status: readiness.status, reason: readiness.reason, message: readiness.message },
  };
}
