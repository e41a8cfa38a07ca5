// Test fixture: a real devnet, the real local facilitator, a real Postgres ledger, a real upstream on
// loopback, and the gateway behind the one-origin request handler, plus a buyer using the official client.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getChainByName, resolveChain } from "@tollgate/core/chains/index";
import type { Facilitator } from "@tollgate/core/facilitator/index";
import type { ChainRuntime, ConfiguredChain } from "@tollgate/core/runtime/chain-runtime";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import { buildPaymentRequirements } from "@tollgate/core/x402/build-payment-requirements";
import { createApiTokenRepository, createPaymentRepository } from "@tollgate/db";
import { createTestDatabase, type TestDatabase } from "@tollgate/db/testing/test-database";
import { x402Client } from "@x402/core/client";
import type { Network } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment } from "@x402/fetch";
import { type Address, createPublicClient, erc20Abi, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createHttpFacilitator } from "../../chain/create-http-facilitator.ts";
import { createLocalFacilitator } from "../../chain/create-local-facilitator.ts";
import { devnetChain } from "../../chain/devnet-chain.ts";
import type { Devnet } from "../../chain/start-devnet.ts";
import { startTestDevnet } from "../../chain/testing/start-test-devnet.ts";
import type { Logger } from "../../logger.ts";
import { createMetrics, type Metrics } from "../../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../../drivers/local/in-memory-route-table.ts";
import { createRequestHandler } from "../../server/http/create-request-handler.ts";
import { createGateway, type Gateway } from "../create-gateway.ts";

export const localNetwork: Network = "eip155:31337";
export const baseSepoliaNetwork: Network = "eip155:84532";
export const baseNetwork: Network = "eip155:8453";

/** What the test upstream saw. */
export interface UpstreamLog {
  calls: { path: string; headers: IncomingHttpHeaders }[];
}

export const silentLog = {
  info() {},
  warn() {},
  error() {},
  debug() {},
} as unknown as Logger;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** A loopback upstream: JSON, a 500, an SSE stream, an empty SSE stream, slow JSON. */
export async function startTestUpstream(): Promise<{ url: string; log: UpstreamLog; close(): Promise<void> }> {
  const log: UpstreamLog = { calls: [] };
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    log.calls.push({ path, headers: req.headers });
    if (path.startsWith("/fail")) {
      res.writeHead(500, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: "upstream broke" }));
    }
    if (path.startsWith("/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        res.write(`data: {"chunk":${n}}\n\n`);
        if (n === 3) {
          clearInterval(timer);
          res.end("data: [DONE]\n\n");
        }
      }, 20);
      return;
    }
    if (path.startsWith("/empty-stream")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      return res.end();
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.stringify({
        hello: "world",
        path,
        method: req.method,
        echo: Buffer.concat(chunks).toString("utf8"),
        payer: req.headers["x-payment-payer"] ?? null,
      });
      res.writeHead(200, {
        "content-type": "application/json",
        "set-cookie": "upstream=1",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  const url = await listen(server);
  return {
    url,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface GatewayFixture {
  devnet: Devnet;
  database: TestDatabase;
  upstream: Awaited<ReturnType<typeof startTestUpstream>>;
  origin: string;
  metrics: Metrics;
  gateway: Gateway;
  chains: ChainRuntime;
  routes: { hello: PublishedRoute; down: PublishedRoute; unsettled: PublishedRoute; based: PublishedRoute };
  /** The official x402 client for the devnet buyer (signs for the devnet and base-sepolia). */
  buyerClient: x402Client;
  payFetch: typeof fetch;
  usdcBalance(address: Address): Promise<bigint>;
  close(): Promise<void>;
}

async function createOfferRow(database: TestDatabase, route: PublishedRoute, asset: string): Promise<void> {
  await database.db.offer.create({
    data: {
      id: route.offerId,
      name: route.name,
      liveName: route.name,
      type: "http",
      upstreamUrl: route.upstreamUrl,
      path: route.path,
      chain: route.chain,
      asset,
      payTo: route.requirements.payTo,
      priceAmount: "0.01",
    },
  });
}

/** Starts everything; `close()` stops it all. */
export async function startGatewayFixture(): Promise<GatewayFixture> {
  const [{ devnet, cleanup: stopDevnet }, database, upstream] = await Promise.all([
    startTestDevnet(),
    createTestDatabase(),
    startTestUpstream(),
  ]);
  const local = resolveChain({
    chain: getChainByName("local"),
    devnet: { usdc: devnet.usdc, identityRegistry: devnet.identityRegistry },
  });
  const baseSepolia = resolveChain({ chain: getChainByName("base-sepolia") });
  const facilitator = createLocalFacilitator({
    rpcUrl: devnet.rpcUrl,
    chainId: devnet.chainId,
    privateKey: devnet.accounts.facilitator.privateKey,
  });
  // A facilitator nobody answers at: a port that was free a moment ago.
  const closed = createServer();
  const closedUrl = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const base = resolveChain({ chain: getChainByName("base") });
  // Verifies like the real one would, then fails every settlement (the chain refused the transaction).
  const failingSettlement: Facilitator = {
    ...facilitator,
    label: "failing-settlement",
    verify: async (payload) => ({
      isValid: true,
      payer: (payload.payload as { authorization: { from: string } }).authorization.from,
    }),
    settle: async () => ({
      success: false,
      errorReason: "invalid_exact_evm_transaction_failed",
      errorMessage: "execution reverted",
      transaction: "",
      network: baseNetwork,
    }),
  };
  // Sends a transaction but never sees its receipt in time.
  const pendingSettlement: Facilitator = {
    ...failingSettlement,
    label: "pending-settlement",
    settle: async () => ({
      success: false,
      errorReason: "settlement_pending",
      errorMessage: "no receipt within the confirmation timeout",
      transaction: `0x${"ab".repeat(32)}`,
      network: "eip155:1",
    }),
  };
  const ethereum = resolveChain({ chain: getChainByName("ethereum") });
  const configured: Record<string, ConfiguredChain> = {
    local: {
      chain: local,
      setting: { name: "local", rpcUrl: devnet.rpcUrl, facilitator: "local", enabled: true },
      facilitator,
    },
    "base-sepolia": {
      chain: baseSepolia,
      setting: { name: "base-sepolia", rpcUrl: "http://127.0.0.1:9", facilitator: closedUrl, enabled: true },
      facilitator: createHttpFacilitator({ url: closedUrl, verifyTimeoutMs: 2_000, settleTimeoutMs: 2_000 }),
    },
    base: {
      chain: base,
      setting: { name: "base", rpcUrl: "http://127.0.0.1:9", facilitator: "local", enabled: true },
      facilitator: failingSettlement,
    },
    ethereum: {
      chain: ethereum,
      setting: { name: "ethereum", rpcUrl: "http://127.0.0.1:9", facilitator: "local", enabled: true },
      facilitator: pendingSettlement,
    },
  };
  const chains: ChainRuntime = {
    list: async () => Object.values(configured),
    get: async (name) => configured[name] ?? null,
  };
  const seller = devnet.accounts.seller.address;
  const payment = { payTo: seller, price: "0.01", unit: "request" as const, maxTimeoutSeconds: 120 };
  const hello: PublishedRoute = {
    offerId: "00000000-0000-4000-8000-000000000001",
    name: "hello",
    generation: 1,
    type: "http",
    path: "/services/hello",
    upstreamUrl: upstream.url,
    chain: "local",
    testnet: true,
    description: "Hello API",
    priceDisplay: "0.01 USDC/request",
    requirements: buildPaymentRequirements({ payment: { ...payment, chain: "local", asset: devnet.usdc } }, local),
    drainEndsAt: null,
  };
  const down: PublishedRoute = {
    ...hello,
    offerId: "00000000-0000-4000-8000-000000000002",
    name: "down",
    path: "/services/down",
    chain: "base-sepolia",
    description: "Route whose facilitator is down",
    requirements: buildPaymentRequirements(
      { payment: { ...payment, chain: "base-sepolia", asset: baseSepolia.usdc.address } },
      baseSepolia,
    ),
  };
  const unsettled: PublishedRoute = {
    ...hello,
    offerId: "00000000-0000-4000-8000-000000000003",
    name: "unsettled",
    path: "/services/unsettled",
    chain: "base",
    testnet: false,
    description: "Route whose settlements fail",
    requirements: buildPaymentRequirements({ payment: { ...payment, chain: "base", asset: base.usdc.address } }, base),
  };
  const pending: PublishedRoute = {
    ...unsettled,
    offerId: "00000000-0000-4000-8000-000000000004",
    name: "pending",
    path: "/services/pending",
    chain: "ethereum",
    description: "Route whose settlements never confirm",
    requirements: buildPaymentRequirements(
      { payment: { ...payment, chain: "ethereum", asset: ethereum.usdc.address } },
      ethereum,
    ),
  };
  // An upstream with a base path: nothing the buyer sends may reach the upstream outside `/base`.
  const based: PublishedRoute = {
    ...hello,
    offerId: "00000000-0000-4000-8000-000000000005",
    name: "based",
    path: "/services/based",
    upstreamUrl: `${upstream.url}/base`,
    description: "Route whose upstream has a base path",
  };
  await createOfferRow(database, based, devnet.usdc);
  await createOfferRow(database, unsettled, base.usdc.address);
  await createOfferRow(database, pending, ethereum.usdc.address);
  await createOfferRow(database, hello, devnet.usdc);
  await createOfferRow(database, down, baseSepolia.usdc.address);
  const routeTable = createInMemoryRouteTable();
  routeTable.replace([hello, down, unsettled, pending, based]);

  const metrics = createMetrics({ processMetrics: true });
  const server = createServer();
  const origin = await listen(server);
  const gateway = createGateway({
    routes: routeTable,
    chains,
    payments: createPaymentRepository({ db: database.db }),
    metrics,
    publicBaseUrl: origin,
    log: silentLog,
  });
  const tokens = createApiTokenRepository({ db: database.db });
  server.on(
    "request",
    createRequestHandler({
      getReady: () => ({
        services: {} as never,
        tokens,
        gateway,
        next: async (_req, res) => {
          res.writeHead(404).end("next");
        },
      }),
      log: silentLog,
      metrics: { metrics, isPublic: true },
    }),
  );

  const buyerAccount = privateKeyToAccount(devnet.accounts.buyer.privateKey);
  const buyerClient = x402Client.fromConfig({
    schemes: [
      { network: localNetwork, client: new ExactEvmScheme(buyerAccount) },
      { network: baseSepoliaNetwork, client: new ExactEvmScheme(buyerAccount) },
      { network: baseNetwork, client: new ExactEvmScheme(buyerAccount) },
      { network: "eip155:1", client: new ExactEvmScheme(buyerAccount) },
    ],
    spendControls: {
      allowedAssets: [
        { network: localNetwork, asset: devnet.usdc, maxAmountPerPayment: "1000000" },
        { network: baseSepoliaNetwork, asset: baseSepolia.usdc.address, maxAmountPerPayment: "1000000" },
        { network: baseNetwork, asset: base.usdc.address, maxAmountPerPayment: "1000000" },
        { network: "eip155:1", asset: ethereum.usdc.address, maxAmountPerPayment: "1000000" },
      ],
    },
  });
  const publicClient = createPublicClient({ chain: devnetChain(devnet.rpcUrl), transport: http(devnet.rpcUrl) });
  return {
    devnet,
    database,
    upstream,
    origin,
    metrics,
    gateway,
    chains,
    routes: { hello, down, unsettled, based },
    buyerClient,
    payFetch: wrapFetchWithPayment(fetch, buyerClient),
    usdcBalance: (address) =>
      publicClient.readContract({ address: devnet.usdc, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
    async close() {
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await upstream.close();
      await database.close();
      await stopDevnet();
    },
  };
}
