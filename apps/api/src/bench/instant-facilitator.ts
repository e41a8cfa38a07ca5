import type { Facilitator } from "@tollgate/core/facilitator/index";
import type { Network } from "@x402/core/types";

/**
 * A facilitator that accepts every payment at once (bench only): isolates the gateway's own work (parsing,
 * matching, ledger row, proxying, receipt) from chain latency.
 */
export function createInstantFacilitator(network: Network): Facilitator {
  const payerOf = (payload: { payload: Record<string, unknown> }) =>
    (payload.payload.authorization as { from?: string } | undefined)?.from ?? "0x0";
  return {
    kind: "local",
    label: "instant (bench)",
    verify: async (payload) => ({ isValid: true, payer: payerOf(payload) }),
    settle: async (payload) => ({
      success: true,
      payer: payerOf(payload),
      transaction: `0x${"0".repeat(64)}`,
      network,
    }),
    getSupported: async () => ({ kinds: [{ x402Version: 2, scheme: "exact", network }], extensions: [], signers: {} }),
    checkHealth: async () => ({ status: "ok", network, checkedAt: new Date().toISOString(), signers: [] }),
  };
}
