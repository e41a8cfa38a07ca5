import {
  computeModelReadiness,
  type ModelReadiness,
  type ModelRepository,
  type ProviderModelsProbe,
  type SecretStore,
} from "@tollgate/core";
import type { ModelObservation } from "./offer-model-observation.ts";
import { readProviderModels } from "./read-provider-models.ts";

export interface ModelMonitor {
  /** The last `ModelReady` of a model, or undefined before its first probe. */
  readiness(modelName: string): ModelReadiness | undefined;
  /** Provider and readiness of every ledger model, by name (read once per reconcile). */
  observe(): Map<string, ModelObservation>;
  /** Probes soon (a provider or model changed); wakes during a run coalesce into one more run. */
  wake(): void;
  /** Probes now and resolves when done. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads every provider's `/v1/models` (one request per provider, whatever the number of models) on a
 * period and on wake, and keeps each model's `ModelReady`. `onChange` is called only when some model's
 * status or reason moved, so a steady state costs one GET per provider per period and nothing else.
 */
export function startModelMonitor({
  repo,
  secrets,
  log,
  onChange = () => {},
  intervalMs = 5_000,
  timeoutMs = 2_000,
  clock = () => new Date(),
}: {
  repo: ModelRepository;
  secrets: SecretStore;
  log: { warn(obj: object, msg: string): void };
  onChange?: () => void;
  intervalMs?: number;
  timeoutMs?: number;
  clock?: () => Date;
}): ModelMonitor {
  let observations = new Map<string, ModelObservation>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  let again = false;

  async function probeAll(): Promise<void> {
    const models = await repo.listModels();
    const providers = new Map(models.map((m) => [m.provider.id, m.provider]));
    const probes = new Map<string, ProviderModelsProbe>();
    await Promise.all(
      [...providers.values()].map(async (provider) => {
        const apiKey = provider.apiKeySecret ? await secrets.get(provider.apiKeySecret) : null;
        probes.set(provider.id, await readProviderModels({ baseUrl: provider.baseUrl, apiKey, timeoutMs }));
      }),
    );
    const now = clock();
    const next = new Map<string, ModelObservation>();
    let changed = models.length !== observations.size;
    for (const model of models) {
      const previous = observations.get(model.name);
      const readiness = computeModelReadiness({
        upstreamModel: model.upstreamModel,
        probe: probes.get(model.provider.id),
        previous: previous?.readiness,
        now,
      });
      if (previous?.readiness.lastTransitionTime !== readiness.lastTransitionTime) changed = true;
      if (previous?.baseUrl !== model.provider.baseUrl) changed = true;
      next.set(model.name, { baseUrl: model.provider.baseUrl, readiness });
    }
    observations = next;
    if (changed) onChange();
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), delayMs);
    timer.unref?.();
  }

  function run(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = probeAll()
      .catch((error) => log.warn({ err: error }, "model monitor: run failed"))
      .finally(() => {
        inFlight = null;
        if (again) {
          again = false;
          void run();
        } else schedule(intervalMs);
      });
    return inFlight;
  }

  void run();
  return {
    readiness: (name) => observations.get(name)?.readiness,
    observe: () => observations,
    wake: () => void run(),
    async runOnce() {
      await inFlight;
      await run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
