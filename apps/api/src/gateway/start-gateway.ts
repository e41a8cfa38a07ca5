import type { EventPublisher } from "@tollgate/core/events/index";
import type { OwnEndpoints } from "@tollgate/core/offers/index";
import type { PaymentRepository, ResolvePendingResult } from "@tollgate/core/payments/index";
import type { ChainRuntime } from "@tollgate/core/runtime/chain-runtime";
import type { RouteTable } from "@tollgate/core/runtime/route-table";
import { type AnalyticsRepository, createFunnelCounter } from "@tollgate/core/analytics/index";
import { startFunnelFlusher } from "../analytics/start-funnel-flusher.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/create-metrics.ts";
import { processMetrics } from "../metrics/process-metrics.ts";
import { createGateway, type Gateway } from "./create-gateway.ts";
import type { InferenceGateway } from "./inference/create-inference-gateway.ts";
import { recoverPendingPayments, startSettlementRecovery } from "./recover-pending-payments.ts";

/**
 * Start-up of the payment gate: first resolves payments a crash left pending (against the chain), then
 * builds the gateway over the reconciler's route table. Call after the chain runtime is up and before
 * the server reports ready; put `gateway` in the request handler's ReadyParts and `gateway.close()` in stop.
 */
export async function startGateway({
  payments,
  analytics,
  routes,
  chains,
  publicBaseUrl,
  log,
  metrics = processMetrics,
  events,
  maxBodyBytes,
  inference,
  ownEndpoints,
  isLeader = () => true,
  liveReplicas,
}: {
  payments: PaymentRepository;
  /** Where the challenge/refusal counters are flushed (the analytics rollup). */
  analytics: Pick<AnalyticsRepository, "addFunnelCounts">;
  routes: RouteTable;
  chains: ChainRuntime;
  publicBaseUrl: string | (() => string);
  log: Logger;
  metrics?: Metrics;
  /** The event bus: settlements and failures go to the admin UI's live stream. */
  events?: EventPublisher;
  /** The largest request body a paid route forwards (TOLLGATE_MAX_PAID_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Model-backed inference offers (provider routing, per-token `upto` charging). */
  inference?: InferenceGateway;
  /** The server's own ports: a route whose upstream reaches one is refused (502), never proxied. */
  ownEndpoints?: OwnEndpoints;
  /** Several replicas on one ledger: only the leader resolves pending payments (SPEC §15). */
  isLeader?: () => boolean;
  /** The server processes on the ledger now: recovery resolves only the rows of those that are gone. */
  liveReplicas?: () => Promise<string[]>;
}): Promise<{
  gateway: Gateway;
  recovered: ResolvePendingResult;
  /** Flushes the challenge/refusal counters to the analytics rollup; `stop()` before the ledger closes. */
  funnelFlusher: ReturnType<typeof startFunnelFlusher>;
  /** Settles (or abandons) `settlement_pending` rows once the chain has decided; `stop()` on shutdown. */
  settlementRecovery: { stop(): void };
}> {
  const recovered = isLeader()
    ? await recoverPendingPayments({
        payments,
        chains,
        log,
        ...(liveReplicas ? { exceptReplicas: await liveReplicas() } : {}),
      })
    : { settled: 0, abandoned: 0, waiting: 0, unresolved: 0 };
  const settlementRecovery = startSettlementRecovery({
    payments,
    chains,
    log,
    isLeader,
    ...(liveReplicas ? { liveReplicas } : {}),
  });
  const funnel = createFunnelCounter();
  const funnelFlusher = startFunnelFlusher({ counter: funnel, repository: analytics, log });
  const gateway = createGateway({
    routes,
    chains,
    payments,
    metrics,
    publicBaseUrl,
    log,
    ...(events ? { events } : {}),
    ...(inference ? { inference } : {}),
    funnel,
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
    ...(ownEndpoints ? { ownEndpoints } : {}),
  });
  return { gateway, recovered, funnelFlusher, settlementRecovery };
}
