import { createMetrics, type Metrics } from "./create-metrics.ts";

/** The server's one metrics registry (process metrics included), served at GET /metrics. */
export const processMetrics: Metrics = createMetrics();

/** Records how long a reconcile run took (the reconciler calls this after every run). */
export function observeReconcileDuration(seconds: number): void {
  processMetrics.observeReconcileDuration(seconds);
}
