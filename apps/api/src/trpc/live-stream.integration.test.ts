import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServeHome } from "../testing/serve-home.ts";
import type { ServeProcess } from "../testing/serve-process.ts";

// The admin live stream (SPEC §9): condition changes the reconciler writes reach a subscriber of
// `events.stream` over SSE on a real server, as the admin UI receives them.

const seller = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
// The devnet configures the local chain the offer is sold on.
const box = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;
let upstream: Server;
let upstreamUrl = "";

beforeAll(async () => {
  upstream = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  server = await box.start();
});

afterAll(() => {
  upstream?.closeAllConnections();
  upstream?.close();
});

const ownerToken = () => readFileSync(join(box.home(), "admin-token"), "utf8").trim();

async function mutate(path: string, input: unknown) {
  const res = await fetch(`${server.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ownerToken()}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data?: any }; error?: unknown };
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result?.data;
}

async function conditionOf(name: string, type: string) {
  const input = encodeURIComponent(JSON.stringify({ name }));
  const res = await fetch(`${server.url}/trpc/offers.show?input=${input}`, {
    headers: { authorization: `Bearer ${ownerToken()}` },
  });
  const offer = ((await res.json()) as { result: { data: { conditions: { type: string; status: string }[] } } }).result
    .data;
  return offer.conditions.find((c) => c.type === type);
}

/** Subscribes to `events.stream` and collects every event's data as it arrives. */
async function openLiveStream() {
  const abort = new AbortController();
  const res = await fetch(`${server.url}/trpc/events.stream`, {
    headers: { authorization: `Bearer ${ownerToken()}`, accept: "text/event-stream" },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const events: any[] = [];
  let buffered = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    const reader = res.body?.getReader();
    if (!reader) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let end = buffered.indexOf("\n\n");
      while (end >= 0) {
        for (const line of buffered.slice(0, end).split("\n"))
          if (line.startsWith("data:")) events.push(JSON.parse(line.slice(5)));
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf("\n\n");
      }
    }
  })().catch(() => {});
  return {
    events,
    /** The first event from `from` on that matches, within `timeoutMs`. */
    async next(from: number, match: (event: any) => boolean, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = events.slice(from).find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(events)}`);
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

describe("admin live stream", () => {
  it("a condition change reaches the subscriber: the new offer's conditions, then its upstream going unreachable", async () => {
    const stream = await openLiveStream();
    try {
      const created = await mutate("offers.create", {
        name: "live",
        upstream: upstreamUrl,
        payment: { chain: "local", payTo: seller, price: "0.01" },
        registration: { enabled: false },
      });
      expect(created).toMatchObject({ name: "live" });
      const isConditionsOf = (e: any) => e?.type === "conditions" && e.offerId === created.id;
      await stream.next(0, isConditionsOf);
      expect(await conditionOf("live", "UpstreamHealthy")).toMatchObject({ status: "True" });

      // Pointing the offer at a closed port: the reconciler's new observation is another condition change.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const seen = stream.events.length;
      await mutate("offers.update", { name: "live", upstream: closedUrl });
      await stream.next(seen, isConditionsOf);
      expect(await conditionOf("live", "UpstreamHealthy")).toMatchObject({ status: "False" });
    } finally {
      await stream.close();
    }
  });
});
