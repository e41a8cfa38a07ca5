import { TollgateError } from "@tollgate/core";
import type { Facilitator } from "@tollgate/core/facilitator/index";

/**
 * A facilitator that cannot work (e.g. `local` chosen but no gas key stored): health says why, and
 * verify/settle refuse with FACILITATOR_UNAVAILABLE, so the payment gate fails closed.
 */
export function createUnconfiguredFacilitator({ label, message }: { label: string; message: string }): Facilitator {
  const refuse = async (): Promise<never> => {
    throw new TollgateError("FACILITATOR_UNAVAILABLE", message);
  };
  return {
    kind: "local",
    label,
    verify: refuse,
    settle: refuse,
    getSupported: refuse,
    checkHealth: async (network) => ({
      status: "unavailable",
      network,
      checkedAt: new Date().toISOString(),
      reason: "not_configured",
      message,
    }),
  };
}
