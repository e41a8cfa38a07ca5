import type { ModelReadiness } from "./model.ts";

/** What one read of a provider's `/v1/models` gave. */
export type ProviderModelsProbe =
  | { ok: true; ids: string[] }
  | { ok: false; reason: "ProviderUnreachable" | "ProviderError"; message: string };

/**
 * `ModelReady` of a model from its provider's model list (pure). The transition time moves only when the
 * status or reason changes, so a steady state writes nothing new.
 */
export function computeModelReadiness({
  upstreamModel,
  probe,
  previous,
  now,
}: {
  upstreamModel: string;
  probe: ProviderModelsProbe | undefined;
  previous: ModelReadiness | undefined;
  now: Date;
}): ModelReadiness {
  let next: Omit<ModelReadiness, "lastTransitionTime">;
  if (!probe) next = { status: "Unknown", reason: "Probing", message: "the provider was not read yet" };
  else if (!probe.ok) next = { status: "False", reason: probe.reason, message: probe.message };
  else if (probe.ids.includes(upstreamModel)) {
    next = { status: "True", reason: "ModelListed", message: `the provider lists ${upstreamModel}` };
  } else {
    const listed = probe.ids.slice(0, 10).join(", ") || "none";
    next = {
      status: "False",
      reason: "ModelNotFound",
      message: `the provider's /v1/models does not list ${upstreamModel} (it lists ${listed})`,
    };
  }
  const same = previous && previous.status === next.status && previous.reason === next.reason;
  return { ...next, lastTransitionTime: same ? previous.lastTransitionTime : now };
}
