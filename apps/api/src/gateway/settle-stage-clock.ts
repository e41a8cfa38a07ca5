import { performance } from "node:perf_hooks";

/** Where a paid request's time went, stage by stage, as a `Server-Timing` header value. */
export interface StageClock {
  /** Ends the stage that began at the previous mark (or at the request's start) and names it. */
  mark(stage: string): void;
  /** `verify;dur=1.20, insert;dur=0.81, …, total;dur=9.87` in milliseconds (total: since the start, until now). */
  header(): string;
}

/**
 * A stage clock for one paid request, started at `started` (a `performance.now()` value). The gateway keeps one
 * only when asked (`serverTiming`, the settlement benchmark's latency breakdown): buyers never see it otherwise.
 */
export function createStageClock(started: number): StageClock {
  let last = started;
  const stages: string[] = [];
  return {
    mark(stage) {
      const now = performance.now();
      stages.push(`${stage};dur=${(now - last).toFixed(2)}`);
      last = now;
    },
    header: () => [...stages, `total;dur=${(performance.now() - started).toFixed(2)}`].join(", "),
  };
}

/** The stage durations in a `Server-Timing` header, by name (a repeated name adds up). */
export function parseServerTiming(header: string): Map<string, number> {
  const stages = new Map<string, number>();
  for (const part of header.split(",")) {
    const [rawName, ...params] = part.split(";");
    const name = rawName?.trim();
    const duration = params.find((param) => param.trim().startsWith("dur="));
    if (!name || !duration) continue;
    const ms = Number(duration.trim().slice(4));
    if (Number.isFinite(ms)) stages.set(name, (stages.get(name) ?? 0) + ms);
  }
  return stages;
}
