import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Label values every gateway series carries. */
export interface OfferLabels {
  offer: string;
  chain: string;
}

/** How a gateway request ended, by the status it answered with. */
export type RequestOutcome = "paid" | "payment_required" | "refused" | "error";

/** `paid` (2xx/3xx: delivered), `payment_required` (402: challenge or refusal), `refused` (other 4xx), `error` (5xx). */
export function describeRequestOutcome(status: number): RequestOutcome {
  if (status === 402) return "payment_required";
  if (status >= 500) return "error";
  if (status >= 400) return "refused";
  return "paid";
}

/** Latency buckets in seconds, from a cached 402 (sub-millisecond) to a slow settlement. */
const latencyBucketsSeconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The Prometheus series of SPEC §9 in one registry, with typed recorders. */
export interface Metrics {
  registry: Registry;
  /** Any request that matched a published route. */
  request(labels: OfferLabels): void;
  /** A 402 challenge sent to a request without a payment. */
  challenge(labels: OfferLabels): void;
  /** A payment the facilitator verified. */
  verified(labels: OfferLabels): void;
  /** A payment refused or lost, by x402-style reason. */
  failed(labels: OfferLabels & { reason: string }): void;
  /** A payment settled on chain (also sets the last-settlement timestamp). */
  settled(labels: OfferLabels, at?: Date): void;
  /** A verified payment whose upstream failed (≥ 400, unreachable or empty stream): nothing settled. */
  upstreamFailure(labels: OfferLabels): void;
  /** Seconds from a gateway request's arrival to its response's end, by offer, chain and outcome. */
  observeRequest(labels: OfferLabels & { outcome: RequestOutcome }, seconds: number): void;
  /** Seconds one settlement call took, by chain. */
  observeSettlement(labels: { chain: string }, seconds: number): void;
  /** Seconds one reconcile run took. */
  observeReconcileDuration(seconds: number): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Builds a registry with the gateway series, reconcile duration and (optionally) process metrics. */
export function createMetrics({ processMetrics = true }: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const offerLabels = ["offer", "chain"] as const;
  const requests = new Counter({
    name: "tollgate_gateway_requests_total",
    help: "Requests to published service routes",
    labelNames: offerLabels,
    registers: [registry],
  });
  const challenges = new Counter({
    name: "tollgate_payment_challenges_total",
    help: "402 challenges sent to requests without a payment",
    labelNames: offerLabels,
    registers: [registry],
  });
  const verified = new Counter({
    name: "tollgate_payments_verified_total",
    help: "Payments the facilitator verified",
    labelNames: offerLabels,
    registers: [registry],
  });
  const failed = new Counter({
    name: "tollgate_payments_failed_total",
    help: "Payments refused or not settled, by reason",
    labelNames: [...offerLabels, "reason"] as const,
    registers: [registry],
  });
  const settled = new Counter({
    name: "tollgate_payments_settled_total",
    help: "Payments settled on chain",
    labelNames: offerLabels,
    registers: [registry],
  });
  const upstreamFailures = new Counter({
    name: "tollgate_upstream_failures_after_verify_total",
    help: "Verified payments whose upstream failed (nothing was settled)",
    labelNames: offerLabels,
    registers: [registry],
  });
  const lastSettlement = new Gauge({
    name: "tollgate_last_settlement_timestamp_seconds",
    help: "Unix time of the last settlement",
    labelNames: offerLabels,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: "tollgate_gateway_request_duration_seconds",
    help: "Gateway requests from arrival to the end of the response, by outcome",
    labelNames: [...offerLabels, "outcome"] as const,
    buckets: latencyBucketsSeconds,
    registers: [registry],
  });
  const settlementDuration = new Histogram({
    name: "tollgate_settlement_duration_seconds",
    help: "Settlement calls to the facilitator, by chain",
    labelNames: ["chain"] as const,
    buckets: latencyBucketsSeconds,
    registers: [registry],
  });
  const reconcileDuration = new Histogram({
    name: "tollgate_reconcile_duration_seconds",
    help: "Duration of reconcile runs",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    registry,
    request: (labels) => requests.inc(labels),
    challenge: (labels) => challenges.inc(labels),
    verified: (labels) => verified.inc(labels),
    failed: (labels) => failed.inc(labels),
    settled: (labels, at = new Date()) => {
      settled.inc(labels);
      lastSettlement.set(labels, at.getTime() / 1000);
    },
    upstreamFailure: (labels) => upstreamFailures.inc(labels),
    observeRequest: ({ offer, chain, outcome }, seconds) => requestDuration.observe({ offer, chain, outcome }, seconds),
    observeSettlement: ({ chain }, seconds) => settlementDuration.observe({ chain }, seconds),
    observeReconcileDuration: (seconds) => reconcileDuration.observe(seconds),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
