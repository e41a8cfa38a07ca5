import type { AnalyticsRepository, FunnelCounter } from "@tollgate/core/analytics/index";
import type { Logger } from "../logger.ts";

/**
 * Writes the gateway's in-memory funnel counts to the analytics rollup every `intervalMs` (one batch per
 * flush, however many requests arrived); a failed write puts its counts back for the next flush.
 * `stop()` flushes what is left.
 */
export function startFunnelFlusher({
  counter,
  repository,
  log,
  intervalMs = 2_000,
}: {
  counter: FunnelCounter;
  repository: Pick<AnalyticsRepository, "addFunnelCounts">;
  log: Pick<Logger, "warn">;
  intervalMs?: number;
}): { flush(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();

  const flush = () => {
    running = running.then(async () => {
      const rows = counter.drain();
      if (rows.length === 0) return;
      try {
        await repository.addFunnelCounts(rows);
      } catch (error) {
        counter.restore(rows);
        log.warn({ err: error, rows: rows.length }, "could not flush analytics counters; kept for the next flush");
      }
    });
    return running;
  };

  const timer = setInterval(() => void flush(), intervalMs);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
