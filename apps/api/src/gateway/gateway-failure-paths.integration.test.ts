import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createServer as createTcpServer, connect } from "node:net";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import type { ChainRuntime } from "@tollgate/core/runtime/chain-runtime";
import { createPaymentRepository, createPrismaClient, type Db, formatDatabaseUrl } from "@tollgate/db";
import { wrapFetchWithPayment } from "@x402/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFacilitator } from "../chain/create-http-facilitator.ts";
import { createMetrics } from "../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../drivers/local/in-memory-route-table.ts";
import { createGateway, type Gateway } from "./create-gateway.ts";
import { type GatewayFixture, silentLog, startGatewayFixture } from "./testing/start-gateway-fixture.ts";
import { createUpstreamClient } from "./upstream-client.ts";

// Failure paths after a valid payment, on the real devnet, facilitator and Postgres: the buyer is
// never charged for a response they did not get, the payment row says what happened, and a ledger
// that cannot record the payment means 503 (retriable), never free service.

/** A loopback TCP relay in front of Postgres that can drop every connection, as a stopped server would. */
async function startLedgerRelay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createTcpServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    resume() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let f: GatewayFixture;
let gateway: Gateway;
let origin = "";
let server: Server;
let ledger: Db;
let relay: Awaited<ReturnType<typeof startLedgerRelay>>;
let hangingUpstream: Server;
const hanging: ServerResponse[] = [];
/** An SSE upstream: sends one event, then holds the stream open (or ends it for paths with "complete"). */
let streamingUpstream: Server;
const streams: { path: string; closed: Promise<void> }[] = [];
let payFetch: typeof fetch;
let facilitators: Server;
let brokenGateway: Gateway;
let brokenOrigin = "";
let brokenServer: Server;

const route = (name: string, n: number, upstreamUrl: string): PublishedRoute => ({
  ...f.routes.hello,
  offerId: `00000000-0000-4000-8000-0000000001${String(n).padStart(2, "0")}`,
  name,
  path: `/services/${name}`,
  upstreamUrl,
});

beforeAll(async () => {
  f = await startGatewayFixture();
  // An upstream that accepts the request and never answers.
  hangingUpstream = createServer((_req, res) => hanging.push(res));
  await new Promise<void>((resolve) => hangingUpstream.listen(0, "127.0.0.1", resolve));
  streamingUpstream = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write("data: first\n\n");
    streams.push({ path: req.url ?? "", closed: new Promise((resolve) => res.once("close", () => resolve())) });
    if (req.url?.includes("complete")) res.end("data: last\n\n");
  });
  await new Promise<void>((resolve) => streamingUpstream.listen(0, "127.0.0.1", resolve));
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const routes = [
    route("unreachable", 1, closedUrl),
    route("hangs", 2, `http://127.0.0.1:${(hangingUpstream.address() as AddressInfo).port}`),
    route("ledgered", 3, f.upstream.url),
    route("streams", 4, `http://127.0.0.1:${(streamingUpstream.address() as AddressInfo).port}`),
  ];
  for (const r of routes) {
    await f.database.db.offer.create({
      data: {
        id: r.offerId,
        name: r.name,
        liveName: r.name,
        type: "http",
        upstreamUrl: r.upstreamUrl,
        path: r.path,
        chain: r.chain,
        asset: f.devnet.usdc,
        payTo: r.requirements.payTo,
        priceAmount: "0.01",
      },
    });
  }
  const table = createInMemoryRouteTable();
  table.replace(routes);
  relay = await startLedgerRelay(f.database.parts);
  ledger = createPrismaClient(formatDatabaseUrl({ ...f.database.parts, host: "127.0.0.1", port: relay.port }), {
    poolSize: 2,
  });
  gateway = createGateway({
    routes: table,
    chains: f.chains,
    payments: createPaymentRepository({ db: ledger }),
    metrics: createMetrics({ processMetrics: false }),
    publicBaseUrl: () => origin,
    log: silentLog,
    upstream: createUpstreamClient({ timeoutMs: 1_500 }),
  });
  // A remote facilitator that answers 500 to everything, and one that never answers.
  facilitators = createServer((req, res) => {
    if (req.url?.startsWith("/silent")) return hanging.push(res);
    res.writeHead(500, { "content-type": "application/json" }).end('{"error":"facilitator broke"}');
  });
  await new Promise<void>((resolve) => facilitators.listen(0, "127.0.0.1", resolve));
  const facilitatorUrl = `http://127.0.0.1:${(facilitators.address() as AddressInfo).port}`;
  const local = await f.chains.get("local");
  if (!local) throw new Error("the fixture has no local chain");
  const remote = (url: string) => ({
    ...local,
    facilitator: createHttpFacilitator({ url, verifyTimeoutMs: 1_000, settleTimeoutMs: 1_000 }),
  });
  const brokenChains: ChainRuntime = {
    list: async () => [],
    get: async (name) =>
      name === "local" ? remote(`${facilitatorUrl}${brokenKind.current === "silent" ? "/silent" : ""}`) : null,
  };
  const brokenTable = createInMemoryRouteTable();
  brokenTable.replace([routes[2] as PublishedRoute]);
  brokenGateway = createGateway({
    routes: brokenTable,
    chains: brokenChains,
    payments: createPaymentRepository({ db: f.database.db }),
    metrics: createMetrics({ processMetrics: false }),
    publicBaseUrl: () => brokenOrigin,
    log: silentLog,
  });
  brokenServer = createServer((req, res) => void brokenGateway.handle(req, res));
  await new Promise<void>((resolve) => brokenServer.listen(0, "127.0.0.1", resolve));
  brokenOrigin = `http://127.0.0.1:${(brokenServer.address() as AddressInfo).port}`;

  server = createServer((req, res) => void gateway.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  payFetch = wrapFetchWithPayment(fetch, f.buyerClient);
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  gateway?.close();
  brokenGateway?.close();
  for (const s of [brokenServer, facilitators]) {
    s?.closeAllConnections();
    s?.close();
  }
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  hangingUpstream?.closeAllConnections();
  hangingUpstream?.close();
  streamingUpstream?.closeAllConnections();
  streamingUpstream?.close();
  await ledger?.$disconnect();
  await relay?.close();
  await f?.close();
});

const brokenKind = { current: "5xx" as "5xx" | "silent" };

const rowsFor = (path: string) =>
  f.database.db.payment.findMany({ where: { requestPath: path }, orderBy: { createdAt: "asc" } });

/** The payment rows of a path once none is still in flight (verified or delivered), within 30 s. */
async function finalRowsFor(path: string) {
  const deadline = Date.now() + 30_000;
  let rows = await rowsFor(path);
  while (
    Date.now() < deadline &&
    (rows.length === 0 || rows.some((r) => ["verified", "delivered"].includes(r.state)))
  ) {
    await new Promise((r) => setTimeout(r, 50));
    rows = await rowsFor(path);
  }
  return rows;
}

describe("a remote facilitator that fails", () => {
  it.each(["5xx", "silent"] as const)(
    "a %s facilitator: 503 retriable, upstream never called, no payment row, buyer not charged",
    async (kind) => {
      brokenKind.current = kind;
      const buyer = f.devnet.accounts.buyer.address;
      const before = await f.usdcBalance(buyer);
      const calls = f.upstream.log.calls.length;
      const res = await payFetch(`${brokenOrigin}/services/ledgered/facilitator-${kind}`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ reason: "facilitator_unavailable", retriable: true });
      expect(f.upstream.log.calls.length).toBe(calls);
      expect(await rowsFor(`/services/ledgered/facilitator-${kind}`)).toEqual([]);
      expect(await f.usdcBalance(buyer)).toBe(before);
    },
  );
});

describe("gateway failure paths after a valid payment", () => {
  it("upstream unreachable: 502 retriable, no settlement, buyer not charged, row upstream_failed", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const res = await payFetch(`${origin}/services/unreachable/x`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ reason: "upstream_unreachable", retriable: true });
    expect(res.headers.get("payment-response")).toBeNull();
    expect(await f.usdcBalance(buyer)).toBe(before);
    const rows = await rowsFor("/services/unreachable/x");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "upstream_failed", reason: "upstream_unreachable", txHash: null });
  });

  it("upstream silent past the timeout after verify: 502, no settlement, buyer not charged, row upstream_failed", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const res = await payFetch(`${origin}/services/hangs/slow`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ reason: "upstream_unreachable" });
    expect(await f.usdcBalance(buyer)).toBe(before);
    const rows = await rowsFor("/services/hangs/slow");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "upstream_failed", reason: "upstream_unreachable", txHash: null });
    expect(rows[0]?.message).toMatch(/timed out after 1500 ms/);
  });

  it("client disconnects while the upstream is still answering: no settlement, buyer not charged, row client_closed", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const waiting = hanging.length;
    const abort = new AbortController();
    const request = payFetch(`${origin}/services/hangs/gone`, { signal: abort.signal }).catch((error) => error);
    // Abort once the paid request has reached the upstream (well before the 1.5 s upstream timeout).
    const deadline = Date.now() + 10_000;
    while (hanging.length === waiting && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(hanging.length).toBe(waiting + 1);
    abort.abort();
    expect(await request).toBeInstanceOf(Error);
    let rows: Awaited<ReturnType<typeof rowsFor>> = [];
    while (Date.now() < deadline) {
      rows = await rowsFor("/services/hangs/gone");
      if (rows[0]?.state !== "verified") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "upstream_failed", reason: "client_closed", txHash: null });
    expect(await f.usdcBalance(buyer)).toBe(before);
  });

  it("ledger unavailable: 503 retriable, upstream never called, buyer not charged; serves again once Postgres is back", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const calls = () => f.upstream.log.calls.filter((c) => c.path.startsWith("/ledger")).length;
    relay.stop();
    const down = await payFetch(`${origin}/services/ledgered/ledger-down`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ reason: "ledger_unavailable", retriable: true });
    expect(down.headers.get("retry-after")).toBe("5");
    expect(calls()).toBe(0);
    expect(await f.usdcBalance(buyer)).toBe(before);

    relay.resume();
    const deadline = Date.now() + 30_000;
    let back: Response | null = null;
    while (Date.now() < deadline) {
      back = await payFetch(`${origin}/services/ledgered/ledger-back`);
      if (back.status !== 503) break;
      await back.body?.cancel();
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(back?.status).toBe(200);
    expect(back?.headers.get("payment-response")).toBeTruthy();
    expect(await f.usdcBalance(buyer)).toBeLessThan(before);
    expect((await rowsFor("/services/ledgered/ledger-back")).map((r) => r.state)).toEqual(["settled"]);
    expect(await rowsFor("/services/ledgered/ledger-down")).toEqual([]);
  });
});

describe("a paid SSE stream whose buyer goes away mid-stream", () => {
  it("bytes were delivered, so the payment settles once (no free delivery); the upstream stream is closed; the next stream is served and settled", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const abort = new AbortController();
    const res = await payFetch(`${origin}/services/streams/gone`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("data: first");
    abort.abort();
    await reader?.cancel().catch(() => {});

    // The gateway closes the upstream stream it no longer has anyone to deliver to.
    const upstreamStream = streams.find((s) => s.path === "/gone");
    expect(upstreamStream).toBeDefined();
    const gaveUp = new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error("the upstream stream was still open 10 s after the buyer left")),
        10_000,
      ).unref(),
    );
    await Promise.race([upstreamStream?.closed, gaveUp]);
    const rows = await finalRowsFor("/services/streams/gone");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "settled", upstreamStatus: 200 });
    expect(rows[0]?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await f.usdcBalance(buyer)).toBe(before - 10_000n);

    // The server is still healthy: a complete stream arrives whole, with its receipt, and settles.
    const next = await payFetch(`${origin}/services/streams/complete`);
    expect(next.status).toBe(200);
    const body = await next.text();
    expect(body).toContain("data: first");
    expect(body).toContain("data: last");
    expect(body).toMatch(/^: x402-payment-response \S+$/m);
    expect((await finalRowsFor("/services/streams/complete")).map((r) => r.state)).toEqual(["settled"]);
    expect(await f.usdcBalance(buyer)).toBe(before - 20_000n);
  });
});
