import { describe, expect, it } from "vitest";
import { createWorkQueue } from "./create-work-queue.ts";

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe("createWorkQueue", () => {
  it("runs a key added many times before it starts once, and never on two workers at once", async () => {
    const running = new Set<string>();
    const runs: string[] = [];
    let overlap = false;
    const queue = createWorkQueue({
      concurrency: 4,
      process: async (key) => {
        if (running.has(key)) overlap = true;
        running.add(key);
        runs.push(key);
        await tick(5);
        running.delete(key);
      },
    });
    const first = [queue.add("a"), queue.add("a"), queue.add("b")];
    await tick(1);
    // "a" is running: adding it again runs it once more after, not beside.
    const again = [queue.add("a"), queue.add("a")];
    await Promise.all([...first, ...again]);
    expect(overlap).toBe(false);
    expect(runs.filter((k) => k === "a")).toHaveLength(2);
    expect(runs.filter((k) => k === "b")).toHaveLength(1);
    await queue.stop();
  });

  it("bounds concurrency", async () => {
    let active = 0;
    let peak = 0;
    const queue = createWorkQueue({
      concurrency: 3,
      process: async () => {
        active += 1;
        peak = Math.max(peak, active);
        await tick(2);
        active -= 1;
      },
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => queue.add(`k${i}`)));
    expect(peak).toBe(3);
    expect(queue.stats().processed).toBe(20);
    await queue.stop();
  });

  it("retries a failing key with growing backoff while other keys go on", async () => {
    const attempts: number[] = [];
    const done: string[] = [];
    const delays: number[] = [];
    const queue = createWorkQueue({
      concurrency: 1,
      baseDelayMs: 20,
      random: () => 0.5,
      onError: (_key, _error, retryInMs) => delays.push(retryInMs),
      process: async (key) => {
        if (key === "bad") {
          attempts.push(Date.now());
          throw new Error("boom");
        }
        done.push(key);
      },
    });
    await queue.add("bad");
    await Promise.all(["x", "y", "z"].map((k) => queue.add(k)));
    expect(done).toEqual(["x", "y", "z"]);
    while (attempts.length < 4) await tick(5);
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    expect(queue.failuresOf("bad")).toBeGreaterThanOrEqual(3);
    queue.forget("bad");
    expect(queue.stats().delayed).toBe(0);
    await queue.stop();
  });

  it("addAfter keeps the earliest timer", async () => {
    const runs: number[] = [];
    const queue = createWorkQueue({ concurrency: 1, process: async () => void runs.push(Date.now()) });
    const start = Date.now();
    queue.addAfter("k", 200);
    queue.addAfter("k", 10);
    queue.addAfter("k", 100);
    await tick(60);
    expect(runs).toHaveLength(1);
    expect((runs[0] ?? 0) - start).toBeLessThan(60);
    await queue.stop();
  });
});
