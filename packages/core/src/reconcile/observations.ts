import type { ResolvedChain } from "../chains/resolve-chain.ts";

/** The outcome of probing one URL of an upstream. */
export type ProbeResult =
  | { ok: true; message?: string }
  | { ok: false; reason: "Unreachable" | "Unhealthy"; message: string };

/** What the driver observed about one offer's upstream at this run. */
export interface UpstreamObservation {
  /** The upstream URL actually probed and proxied to (a `demo://` upstream resolved), or null when it has none. */
  url: string | null;
  health: ProbeResult;
  /** Inference only: the model ids `/v1/models` listed, or why they could not be read. */
  models?: { ok: true; ids: string[] } | { ok: false; message: string };
}

/** Whether a chain's payment gate can take payments now. */
export type GateObservation =
  | { status: "ready"; chain: ResolvedChain; facilitator: string }
  | { status: "unavailable"; reason: "ChainNotConfigured" | "FacilitatorUnavailable"; message: string };
