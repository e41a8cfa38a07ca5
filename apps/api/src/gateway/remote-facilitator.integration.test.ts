// A remote facilitator that fails (500) or hangs: the paid request gets 503 `retriable: true` within 2 s, the
// upstream is never called (no free delivery), and once the circuit opens the failure is immediate.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { getChainByName, resolveChain } from "@tollgate/core/chains/index";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import type { ChainRuntime } from "@tollgate/core/runtime/chain-runtime";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import { buildPaymentRequirements } from "@tollgate/core/x402/build-payment-requirements";
import { createPaymentRepository } from "@tollgate/db";
import { createTestDatabase, type TestDatabase } from "@tollgate/db/testing/test-database";
import { x402Client } from "@x402/core/client";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpFacilitator } from "../chain/create-http-facilitator.ts";
import { createMetrics } from "../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../drivers/local/in-memory-route-table.ts";
import { createGateway } from "./create-gateway.ts";
import { silentLog, startTestUpstream } from "./testing/start-gateway-fixture.ts";

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

let database: TestDatabase;
let upstream: Awaited<ReturnType<typeof startTestUpstream>>;
let facilitatorServer: Server;
let gatewayServer: Server;
let origin = "";
/** What the fake facilitator does with `/verify`. */
let mode: "fail" | "hang" = "fail";
let facilitatorCalls = 0;
const route: { value?: PublishedRoute } = {};
const baseSepolia = resolveChain({ chain: getChainByName("base-sepolia") });
const buyer = x402Client.fromConfig({
  schemes: [{ network: "eip155:84532", client: new ExactEvmScheme(privateKeyToAccount(generatePrivateKey())) }],
  spendControls: {
    allowedAssets: [{ network: "eip155:84532", asset: baseSepolia.usdc.address, maxAmountPerPayment: "1000000" }],
  },
});

beforeAll(async () => {
  [database, upstream] = await Promise.all([createTestDatabase(), startTestUpstream()]);
  facilitatorServer = createServer((req, res) => {
    facilitatorCalls += 1;
    req.resume();
    if (mode === "hang") return; // never answers
    res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
  });
  const facilitatorUrl = await listen(facilitatorServer);
  const published: PublishedRoute = {
    offerId: "00000000-0000-4000-8000-0000000000f1",
    name: "remote",
    generation: 1,
    type: "http",
    path: "/services/remote",
    upstreamUrl: upstream.url,
    chain: "base-sepolia",
    testnet: true,
    description: "Route behind a remote facilitator",
    priceDisplay: "0.01 USDC/request",
    requirements: buildPaymentRequirements(
      {
        payment: {
          chain: "base-sepolia",
          asset: baseSepolia.usdc.address,
          payTo: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
          price: "0.01",
          unit: "request",
          maxTimeoutSeconds: 120,
        },
      },
      baseSepolia,
    ),
    drainEndsAt: null,
  };
  route.value = published;
  const routes = createInMemoryRouteTable();
  routes.replace([published]);
  const configured = {
    chain: baseSepolia,
    setting: {
      name: "base-sepolia" as const,
      rpcUrl: "http://127.0.0.1:9",
      facilitator: facilitatorUrl,
      enabled: true,
    },
    facilitator: createHttpFacilitator({ url: facilitatorUrl, failureThreshold: 3, openMs: 60_000 }),
  };
  const chains: ChainRuntime = {
    list: async () => [configured],
    get: async (name) => (name === "base-sepolia" ? configured : null),
  };
  const gateway = createGateway({
    routes,
    chains,
    payments: createPaymentRepository({ db: database.db }),
    metrics: createMetrics({ processMetrics: false }),
    publicBaseUrl: "http://127.0.0.1",
    log: silentLog,
  });
  gatewayServer = createServer((req, res) => void gateway.handle(req, res));
  origin = await listen(gatewayServer);
}, 120_000);

afterAll(async () => {
  gatewayServer?.closeAllConnections();
  facilitatorServer?.closeAllConnections();
  await Promise.all([
    new Promise((resolve) => gatewayServer?.close(resolve)),
    new Promise((resolve) => facilitatorServer?.close(resolve)),
  ]);
  await upstream?.close();
  await database?.close();
});

async function paidRequest(path: string): Promise<{ status: number; body: any; ms: number }> {
  const paymentRequired = {
    x402Version: 2,
    resource: { url: `${origin}${path}`, description: "", mimeType: "" },
    accepts: [route.value?.requirements],
  } as never;
  const header = encodeBase64Json(await buyer.createPaymentPayload(paymentRequired));
  const began = performance.now();
  const res = await fetch(`${origin}${path}`, { headers: { "payment-signature": header } });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - began };
}

describe("a remote facilitator that fails", () => {
  it("500 from /verify: 503 retriable within 2 s, the upstream never called, no payment row", async () => {
    mode = "fail";
    const before = upstream.log.calls.length;
    const { status, body, ms } = await paidRequest("/services/remote/a");
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: "FACILITATOR_UNAVAILABLE", retriable: true });
    expect(ms).toBeLessThan(2_000);
    expect(upstream.log.calls.length).toBe(before);
    expect(await database.db.payment.count()).toBe(0);
  });

  it("a /verify that never answers: 503 retriable within 2 s, the upstream never called", async () => {
    mode = "hang";
    const before = upstream.log.calls.length;
    const { status, body, ms } = await paidRequest("/services/remote/b");
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: "FACILITATOR_UNAVAILABLE", retriable: true });
    expect(ms).toBeLessThan(2_000);
    expect(upstream.log.calls.length).toBe(before);
  });

  it("after repeated failures the circuit opens: 503 at once, without asking the facilitator", async () => {
    mode = "fail";
    await paidRequest("/services/remote/c"); // third consecutive failure: the circuit opens
    const calls = facilitatorCalls;
    const { status, body, ms } = await paidRequest("/services/remote/d");
    expect(status).toBe(503);
    expect(body).toMatchObject({ retriable: true });
    expect(facilitatorCalls).toBe(calls);
    expect(ms).toBeLessThan(500);
    expect(upstream.log.calls).toEqual([]);
  });
});
