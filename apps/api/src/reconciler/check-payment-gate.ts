import type { ChainRuntime, GateObservation } from "@tollgate/core";
import { isChainName } from "@tollgate/core/chains/index";

/**
 * Whether each chain's payment gate can take payments: configured in the chain runtime, and its facilitator
 * answers and supports `exact` on the network. Answers are cached for `ttlMs` so a busy loop does not
 * hammer a remote facilitator.
 */
export function createPaymentGateChecker({
  chains,
  ttlMs = 5_000,
  now = () => Date.now(),
}: {
  chains: ChainRuntime | undefined;
  ttlMs?: number;
  now?: () => number;
}) {
  const cache = new Map<string, { at: number; value: GateObservation }>();
  async function check(name: string): Promise<GateObservation> {
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
  return {
    async get(name: string): Promise<GateObservation> {
      const hit = cache.get(name);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = await check(name);
      cache.set(name, { at: now(), value });
      return value;
    },
    /** Forgets cached answers (chain settings changed). */
    invalidate: () => cache.clear(),
  };
}
