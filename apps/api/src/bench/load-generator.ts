import http from "node:http";
import { performance } from "node:perf_hooks";

export interface LoadResult {
  requests: number;
  errors: number;
  /** Status code → count. */
  statuses: Record<number, number>;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Every request's latency in ms, sorted. */
  latencies: number[];
}

/** The q-quantile (0..1) of sorted latencies in ms. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * Closed-loop load on loopback: `concurrency` keep-alive connections each send a request as soon as the
 * previous one answered, until `durationMs` passes or `count` requests have been sent.
 */
export async function runLoad({
  url,
  concurrency,
  durationMs,
  count,
  headersFor = () => ({}),
  onResponse,
}: {
  url: string;
  concurrency: number;
  durationMs?: number;
  count?: number;
  headersFor?: (i: number) => Record<string, string>;
  /** Sees each response's status and headers (e.g. to collect settlement receipts). */
  onResponse?: (i: number, res: http.IncomingMessage) => void;
}): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : started + durationMs;
  const limit = count ?? Number.POSITIVE_INFINITY;

  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          agent,
          headers: headersFor(i),
        },
        (res) => {
          onResponse?.(i, res);
          res.on("data", () => {});
          res.on("end", () => {
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
          res.on("error", () => {
            errors += 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors += 1;
        resolve();
      });
      req.end();
    });

  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < limit && performance.now() < deadline) {
        const i = sent++;
        await one(i);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    statuses,
    seconds,
    rps: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    latencies,
  };
}
