import type { Facilitator } from "@tollgate/core/facilitator/index";
import { checkFacilitatorHealth } from "@tollgate/core/facilitator/index";
import { HTTPFacilitatorClient } from "@x402/core/server";

/** A remote x402 facilitator reached over HTTP (`/verify`, `/settle`, `/supported`). */
export function createHttpFacilitator({
  url,
  timeoutMs = 30_000,
  healthTimeoutMs = 5_000,
}: {
  url: string;
  timeoutMs?: number;
  healthTimeoutMs?: number;
}): Facilitator {
  const client = new HTTPFacilitatorClient({ url, timeoutMs });
  const getSupported = () => client.getSupported();
  return {
    kind: "http",
    label: url,
    verify: (payload, requirements) => client.verify(payload, requirements),
    settle: (payload, requirements) => client.settle(payload, requirements),
    getSupported,
    checkHealth: (network) => checkFacilitatorHealth({ getSupported, network, timeoutMs: healthTimeoutMs }),
  };
}
