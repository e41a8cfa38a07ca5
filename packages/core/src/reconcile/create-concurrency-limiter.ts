/** Runs async tasks with at most `concurrency` at a time, in call order. */
export interface ConcurrencyLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running and waiting. */
  stats(): { active: number; waiting: number };
}

/** A limiter for fan-out work (upstream probes): at most `concurrency` tasks run at once; the rest wait in order. */
export function createConcurrencyLimiter(concurrency: number): ConcurrencyLimiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active -= 1;
    const next = waiting.shift();
    if (next) {
      active += 1;
      next();
    }
  };
  return {
    async run(task) {
      if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      else active += 1;
      try {
        return await task();
      } finally {
        release();
      }
    },
    stats: () => ({ active, waiting: waiting.length }),
  };
}
