import type { Network, SupportedResponse } from "@x402/core/types";
import { z } from "zod";

/** Why a facilitator cannot serve a network. Stable identifiers; the UI and conditions key on them. */
export const facilitatorUnavailableReasons = [
  "unreachable",
  "timeout",
  "unsupported_network",
  "not_configured",
] as const;
export type FacilitatorUnavailableReason = (typeof facilitatorUnavailableReasons)[number];

const networkSchema = z.custom<Network>((value) => typeof value === "string" && /^[^:]+:[^:]+$/.test(value));

/** The outcome of a facilitator health check for one network. */
export const facilitatorHealthSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), network: networkSchema, checkedAt: z.string(), signers: z.array(z.string()) }),
  z.object({
    status: z.literal("unavailable"),
    network: networkSchema,
    checkedAt: z.string(),
    reason: z.enum(facilitatorUnavailableReasons),
    message: z.string(),
  }),
]);
export type FacilitatorHealth = z.infer<typeof facilitatorHealthSchema>;

/** The `exact` kind a `/supported` answer lists for the network (v2 preferred), or undefined. */
export function findExactSupport(
  supported: SupportedResponse,
  network: Network,
): SupportedResponse["kinds"][number] | undefined {
  const kinds = supported.kinds.filter((kind) => kind.scheme === "exact" && kind.network === network);
  return kinds.find((kind) => kind.x402Version === 2) ?? kinds[0];
}

/** Signer addresses a `/supported` answer declares for the network (exact key, then its `eip155:*` family). */
export function findSigners(supported: SupportedResponse, network: Network): string[] {
  const signers = supported.signers ?? {};
  const family = `${network.split(":")[0]}:*`;
  return signers[network] ?? signers[family] ?? [];
}

/**
 * Asks a facilitator for its supported kinds (bounded by `timeoutMs`) and reports whether `exact` is
 * offered on the network. Never throws: failures come back as `status: "unavailable"` with a reason.
 */
export async function checkFacilitatorHealth({
  getSupported,
  network,
  timeoutMs = 5_000,
  now = () => new Date(),
}: {
  getSupported: () => Promise<SupportedResponse>;
  network: Network;
  timeoutMs?: number;
  now?: () => Date;
}): Promise<FacilitatorHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([getSupported(), timeout]);
    const checkedAt = now().toISOString();
    if (result === "timeout") {
      return {
        status: "unavailable",
        network,
        checkedAt,
        reason: "timeout",
        message: `No answer to /supported within ${timeoutMs} ms`,
      };
    }
    if (!findExactSupport(result, network)) {
      const offered = result.kinds.map((kind) => `${kind.scheme}@${kind.network}`).join(", ") || "nothing";
      return {
        status: "unavailable",
        network,
        checkedAt,
        reason: "unsupported_network",
        message: `The facilitator does not support the exact scheme on ${network} (it offers ${offered})`,
      };
    }
    return { status: "ok", network, checkedAt, signers: findSigners(result, network) };
  } catch (error) {
    return {
      status: "unavailable",
      network,
      checkedAt: now().toISOString(),
      reason: "unreachable",
      message: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
