// A benchmark target in its own process: `upstream`, `proxy <upstream>`, `gateway <upstream>` (instant
// facilitator, in-memory ledger) or `gateway-devnet <upstream>` (devnet, local facilitator, Postgres).
// Prints `READY <json>` on stdout once it listens; runs until killed.
import http, { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getChainByName, resolveChain } from "@tollgate/core/chains/index";
import type { PaymentRepository } from "@tollgate/core/payments/index";
import type { ChainRuntime, ConfiguredChain } from "@tollgate/core/runtime/chain-runtime";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import { buildPaymentRequirements } from "@tollgate/core/x402/build-payment-requirements";
import { createPaymentRepository } from "@tollgate/db";
import { createTestDatabase } from "@tollgate/db/testing/test-database";
import { createLocalFacilitator } from "../chain/create-local-facilitator.ts";
import { startTestDevnet } from "../chain/testing/start-test-devnet.ts";
import { createGateway } from "../gateway/create-gateway.ts";
import type { Logger } from "../logger.ts";
import { createMetrics } from "../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../drivers/local/in-memory-route-table.ts";
import { createRequestHandler } from "../server/http/create-request-handler.ts";
import { createInstantFacilitator } from "./instant-facilitator.ts";
import { createMemoryPaymentRepository } from "./memory-payment-repository.ts";

const [mode, upstreamUrl] = process.argv.slice(2);
const silentLog = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

function listen(server: http.Server): Promise<string> {
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function ready(info: Record<string, unknown>): void {
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
}

if (mode !== "gateway-devnet") {
  // A normal exit (so --cpu-prof can write its profile).
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
}

const body = JSON.stringify({ hello: "world", message: "a small JSON answer from the upstream" });

if (mode === "upstream") {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  ready({ url: await listen(server) });
} else if (mode === "proxy") {
  // The floor for any Node gateway: node:http request() with a keep-alive Agent, streaming both ways.
  const target = new URL(upstreamUrl ?? "");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  ready({ url: await listen(server) });
} else if (mode === "gateway" || mode === "gateway-devnet") {
  const server = createServer();
  const url = await listen(server);
  let chain: ConfiguredChain;
  let payments: PaymentRepository;
  let extra: Record<string, unknown> = {};
  const offerId = "00000000-0000-4000-8000-0000000000b1";
  let payTo = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  if (mode === "gateway") {
    const resolved = resolveChain({
      chain: getChainByName("local"),
      devnet: {
        usdc: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        identityRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      },
    });
    chain = {
      chain: resolved,
      setting: { name: "local", rpcUrl: "http://127.0.0.1:9", facilitator: "local", enabled: true },
      facilitator: createInstantFacilitator(resolved.caip2),
    };
    payments = createMemoryPaymentRepository();
  } else {
    const [{ devnet, cleanup }, database] = await Promise.all([startTestDevnet(), createTestDatabase()]);
    const stop = async () => {
      await Promise.allSettled([cleanup(), database.close()]);
      process.exit(0);
    };
    process.on("SIGTERM", () => void stop());
    process.on("SIGINT", () => void stop());
    const resolved = resolveChain({
      chain: getChainByName("local"),
      devnet: { usdc: devnet.usdc, identityRegistry: devnet.identityRegistry },
    });
    chain = {
      chain: resolved,
      setting: { name: "local", rpcUrl: devnet.rpcUrl, facilitator: "local", enabled: true },
      facilitator: createLocalFacilitator({
        rpcUrl: devnet.rpcUrl,
        chainId: devnet.chainId,
        privateKey: devnet.accounts.facilitator.privateKey,
      }),
    };
    payTo = devnet.accounts.seller.address;
    payments = createPaymentRepository({ db: database.db });
    await database.db.offer.create({
      data: {
        id: offerId,
        name: "bench",
        liveName: "bench",
        type: "http",
        upstreamUrl: upstreamUrl ?? "",
        path: "/services/bench",
        chain: "local",
        asset: devnet.usdc,
        payTo,
        priceAmount: "0.01",
      },
    });
    extra = { buyerKey: devnet.accounts.buyer.privateKey, usdc: devnet.usdc, rpcUrl: devnet.rpcUrl };
  }
  const route: PublishedRoute = {
    offerId,
    name: "bench",
    generation: 1,
    type: "http",
    path: "/services/bench",
    upstreamUrl: upstreamUrl ?? "",
    chain: "local",
    testnet: true,
    description: "Bench API",
    priceDisplay: "0.01 USDC/request",
    requirements: buildPaymentRequirements(
      {
        payment: {
          chain: "local",
          asset: chain.chain.usdc.address,
          payTo,
          price: "0.01",
          unit: "request",
          maxTimeoutSeconds: 300,
        },
      },
      chain.chain,
    ),
    drainEndsAt: null,
  };
  const routes = createInMemoryRouteTable();
  routes.replace([route]);
  const chains: ChainRuntime = { list: async () => [chain], get: async (name) => (name === "local" ? chain : null) };
  const metrics = createMetrics({ processMetrics: false });
  const gateway = createGateway({
    routes,
    chains,
    payments,
    metrics,
    publicBaseUrl: url,
    log: silentLog,
    // The settlement benchmark prints where a paid request's time went.
    serverTiming: mode === "gateway-devnet",
  });
  server.on(
    "request",
    createRequestHandler({
      getReady: () => ({
        services: {} as never,
        tokens: {} as never,
        gateway,
        next: async (_req, res) => void res.writeHead(404).end(),
      }),
      log: silentLog,
    }),
  );
  ready({ url, requirements: route.requirements, ...extra });
} else {
  process.stderr.write("usage: bench-target.ts upstream | proxy URL | gateway URL | gateway-devnet URL\n");
  process.exit(2);
}
