import type { ChainRuntime, GateObservation } from "@tollgate/core";
import { isChainName } from "@tollgate/core/chains/index";

/** Whether a chain's payment gate can take payments now: configured, and its facilitator supports `exact` there. */
export async function checkPaymentGate(chains: ChainRuntime | undefined, name: string): Promise<GateObservation> {
  if (!chains) {
    return { status: "unavailable", reason: "ChainNotConfigured", message: "no chain runtime is running yet" };
  }
  if (!isChainName(name)) {
    return { status: "unavailable", reason: "ChainNotConfigured", message: `"${name}" is not a known chain` };
  }
  const configured = await chains.get(name);
  if (!configured) {
    return {
      status: "unavailable",
      reason: "ChainNotConfigured",
      message: `chain ${name} is not configured or enabled`,
    };
  }
  const health = await configured.facilitator.checkHealth(configured.chain.caip2);
  if (health.status !== "ok") {
    return {
      status: "unavailable",
      reason: "FacilitatorUnavailable",
      message: `${configured.facilitator.label}: ${health.message}`,
    };
  }
  return { status: "ready", chain: configured.chain, facilitator: configured.facilitator.label };
}

/**
 * The payment gate of every chain in use, checked once and then re-checked on an interval (and at once
 * after a settings change): offers read the current answer, and a changed answer is reported with the chain
 * name so only the offers on that chain are reconciled again.
 */
export function createGateWatcher({
  chains,
  intervalMs = 5_000,
  onChange,
}: {
  chains: ChainRuntime | undefined;
  intervalMs?: number;
  onChange: (chain: string) => void;
}) {
  const current = new Map<string, GateObservation>();
  const checking = new Map<string, Promise<GateObservation>>();
  let timer: ReturnType<typeof setInterval> | undefined;

  function recheck(name: string): Promise<GateObservation> {
    let running = checking.get(name);
    if (!running) {
      running = checkPaymentGate(chains, name)
        .catch(
          (error: unknown): GateObservation => ({
            status: "unavailable",
            reason: "FacilitatorUnavailable",
            message: error instanceof Error ? error.message : String(error),
          }),
        )
        .then((value) => {
          const before = current.get(name);
          current.set(name, value);
          if (before && JSON.stringify(before) !== JSON.stringify(value)) onChange(name);
          return value;
        })
        .finally(() => checking.delete(name));
      checking.set(name, running);
    }
    return running;
  }

  return {
    /** The chain's gate: the current answer, or the first check's. */
    get(name: string): Promise<GateObservation> {
      const value = current.get(name);
      return value ? Promise.resolve(value) : recheck(name);
    },
    /** Checks every chain in use again now (settings changed). */
    recheckAll: (): Promise<GateObservation[]> => Promise.all([...current.keys()].map(recheck)),
    start(): void {
      timer = setInterval(() => void Promise.all([...current.keys()].map(recheck)), intervalMs);
      timer.unref?.();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
