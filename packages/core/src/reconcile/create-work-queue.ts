/** Counters of a work queue (metrics, status pages, tests). */
export interface WorkQueueStats {
  /** Keys waiting to be processed. */
  depth: number;
  /** Keys being processed now. */
  active: number;
  /** Keys waiting for a retry or a timer. */
  delayed: number;
  processed: number;
  failures: number;
}

/** A keyed work queue (the shape of client-go's workqueue): see `createWorkQueue`. */
export interface WorkQueue {
  /** Adds a key; resolves once a processing of the key that started after this call has finished (failed or not). */
  add(key: string): Promise<void>;
  /** Adds the key after `delayMs` (an earlier pending timer for the key wins). */
  addAfter(key: string, delayMs: number): void;
  /** Forgets a key's failure count and pending timer (the key is gone). */
  forget(key: string): void;
  /** How many times the key has failed in a row. */
  failuresOf(key: string): number;
  stats(): WorkQueueStats;
  /** Stops taking work and waits for the keys being processed. */
  stop(): Promise<void>;
}

/**
 * A keyed work queue with bounded concurrency: a key added several times before it runs runs once; a key is
 * never processed by two workers at once (added while running, it runs again after); a key whose processing
 * throws is retried after an exponential backoff (`baseDelayMs` doubling per consecutive failure up to
 * `maxDelayMs`, with jitter), and one failing key never delays the others.
 */
export function createWorkQueue({
  process,
  concurrency,
  baseDelayMs = 200,
  maxDelayMs = 60_000,
  onError = () => {},
  random = Math.random,
}: {
  process: (key: string) => Promise<void>;
  concurrency: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Told about every failure with the retry delay chosen. */
  onError?: (key: string, error: unknown, retryInMs: number) => void;
  random?: () => number;
}): WorkQueue {
  const queue: string[] = [];
  let head = 0;
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const failures = new Map<string, number>();
  const timers = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  const pendingWaiters = new Map<string, (() => void)[]>();
  const runningWaiters = new Map<string, (() => void)[]>();
  const idleWaiters: (() => void)[] = [];
  let processed = 0;
  let failed = 0;
  let stopped = false;

  function take(): string | undefined {
    if (head >= queue.length) return undefined;
    const key = queue[head];
    head += 1;
    // Compact now and then so the array does not grow without bound.
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return key;
  }

  function pump(): void {
    while (!stopped && processing.size < concurrency) {
      const key = take();
      if (key === undefined) break;
      dirty.delete(key);
      processing.add(key);
      // This run supersedes a retry or timer that was waiting for the key.
      const waiting = timers.get(key);
      if (waiting) {
        clearTimeout(waiting.timer);
        timers.delete(key);
      }
      const waiters = pendingWaiters.get(key);
      if (waiters) {
        pendingWaiters.delete(key);
        runningWaiters.set(key, waiters);
      }
      void run(key);
    }
    if (processing.size === 0 && (stopped || head >= queue.length))
      for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function run(key: string): Promise<void> {
    try {
      await process(key);
      failures.delete(key);
    } catch (error) {
      failed += 1;
      const count = (failures.get(key) ?? 0) + 1;
      failures.set(key, count);
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(count - 1, 30));
      const delay = Math.round(backoff * (0.8 + 0.4 * random()));
      onError(key, error, delay);
      if (!stopped) addAfter(key, delay);
    } finally {
      processed += 1;
      processing.delete(key);
      for (const resolve of runningWaiters.get(key) ?? []) resolve();
      runningWaiters.delete(key);
      if (dirty.has(key) && !stopped) queue.push(key);
      pump();
    }
  }

  function add(key: string): Promise<void> {
    if (stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => {
      const list = pendingWaiters.get(key);
      if (list) list.push(resolve);
      else pendingWaiters.set(key, [resolve]);
    });
    if (!dirty.has(key)) {
      dirty.add(key);
      if (!processing.has(key)) queue.push(key);
    }
    pump();
    return done;
  }

  function addAfter(key: string, delayMs: number): void {
    if (stopped) return;
    const at = Date.now() + Math.max(0, delayMs);
    const existing = timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(
      () => {
        timers.delete(key);
        void add(key);
      },
      Math.max(0, delayMs),
    );
    timer.unref?.();
    timers.set(key, { at, timer });
  }

  return {
    add,
    addAfter,
    forget(key) {
      failures.delete(key);
      const existing = timers.get(key);
      if (existing) clearTimeout(existing.timer);
      timers.delete(key);
    },
    failuresOf: (key) => failures.get(key) ?? 0,
    stats: () => ({
      depth: queue.length - head,
      active: processing.size,
      delayed: timers.size,
      processed,
      failures: failed,
    }),
    async stop() {
      stopped = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      if (processing.size > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      for (const list of pendingWaiters.values()) for (const resolve of list) resolve();
      pendingWaiters.clear();
    },
  };
}
