import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Label values every gateway series carries. */
export interface OfferLabels {
  offer: string;
  chain: string;
}

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
    observeReconcileDuration: (seconds) => reconcileDuration.observe(seconds),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
