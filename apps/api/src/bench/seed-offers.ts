// Seeding helpers for benchmarks: a healthy upstream, N offers created through the real API, and a
// wait for "every URL answers this status". Shared by the restart benchmark and any other that needs a
// ledger full of offers.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiClient } from "../cli/api-client.ts";

/** An upstream that answers 200 to everything (its /health too), on a free loopback port. */
export async function startBenchUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `task` over `items` with at most `concurrency` at a time. */
export async function forEachLimited<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await task(item);
      }
    }),
  );
}

/** Creates `count` HTTP offers (`<prefix>-00000` …) through tRPC, as a seller would; returns their names. */
export async function seedOffers(options: {
  client: ApiClient;
  count: number;
  upstreamUrl: string;
  prefix?: string;
  chain?: string;
  concurrency?: number;
  onProgress?: (created: number) => void;
}): Promise<string[]> {
  const prefix = options.prefix ?? "bench";
  const names = Array.from({ length: options.count }, (_, i) => `${prefix}-${String(i).padStart(5, "0")}`);
  let created = 0;
  await forEachLimited(names, options.concurrency ?? 8, async (name) => {
    await options.client.offers.create.mutate({
      name,
      type: "http",
      upstream: options.upstreamUrl,
      healthPath: "/health",
      payment: { chain: options.chain ?? "local", price: "0.001", unit: "request" },
      registration: { enabled: false, skills: [], domains: [] },
    } as never);
    created += 1;
    if (created % 100 === 0) options.onProgress?.(created);
  });
  return names;
}

/**
 * Polls every URL until each has answered `status` once, or `timeoutMs` passes. Returns how long it
 * took and, for the URLs that never did, the status each answered last (0: no answer).
 */
export async function waitForEveryStatus(
  urls: string[],
  status: number,
  options: { timeoutMs: number; concurrency?: number },
): Promise<{ ms: number; missing: Map<string, number> }> {
  const started = performance.now();
  const deadline = Date.now() + options.timeoutMs;
  let pending = new Map(urls.map((url) => [url, 0]));
  while (pending.size > 0 && Date.now() <= deadline) {
    const still = new Map<string, number>();
    await forEachLimited([...pending.keys()], options.concurrency ?? 16, async (url) => {
      const res = await fetch(url).catch(() => null);
      await res?.body?.cancel();
      if (res?.status !== status) still.set(url, res?.status ?? 0);
    });
    pending = still;
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 100));
  }
  return { ms: performance.now() - started, missing: pending };
}
