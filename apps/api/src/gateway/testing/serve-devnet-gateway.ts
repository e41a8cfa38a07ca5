// Test fixture: the gateway with the devnet's in-process facilitator (the settlement engine) in front of one
// upstream, on a loopback port, over a given ledger. Used in-process and by `run-gateway-process.ts` (a gateway
// process a test can kill -9).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getChainByName, resolveChain } from "@tollgate/core/chains/index";
import type { ChainRuntime, ConfiguredChain } from "@tollgate/core/runtime/chain-runtime";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import { buildPaymentRequirements } from "@tollgate/core/x402/build-payment-requirements";
import { createPaymentRepository, type Db } from "@tollgate/db";
import type { Address, Hex } from "viem";
import { createLocalFacilitator, type LocalFacilitatorOptions } from "../../chain/create-local-facilitator.ts";
import { createMetrics } from "../../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../../drivers/local/in-memory-route-table.ts";
import { createGateway } from "../create-gateway.ts";
import { silentLog } from "./start-gateway-fixture.ts";

/** Where the gateway settles and what it sells. */
export interface DevnetGatewayConfig {
  rpcUrl: string;
  chainId: number;
  usdc: Address;
  identityRegistry: Address;
  facilitatorKey: Hex;
  payTo: Address;
  upstreamUrl: string;
  facilitator?: Partial<Omit<LocalFacilitatorOptions, "rpcUrl" | "chainId" | "privateKey">>;
}

const offerId = "00000000-0000-4000-8000-00000000005e";

/** The one route the fixture sells (0.01 USDC on the devnet). */
export function settleRoute(config: DevnetGatewayConfig): {
  route: PublishedRoute;
  configured: Omit<ConfiguredChain, "facilitator">;
} {
  const chain = resolveChain({
    chain: getChainByName("local"),
    devnet: { usdc: config.usdc, identityRegistry: config.identityRegistry },
  });
  const route: PublishedRoute = {
    offerId,
    name: "settle",
    generation: 1,
    type: "http",
    path: "/services/settle",
    upstreamUrl: config.upstreamUrl,
    chain: "local",
    testnet: true,
    description: "Settlement fixture",
    priceDisplay: "0.01 USDC/request",
    requirements: buildPaymentRequirements(
      {
        payment: {
          chain: "local",
          asset: config.usdc,
          payTo: config.payTo,
          price: "0.01",
          unit: "request",
          maxTimeoutSeconds: 300,
        },
      },
      chain,
    ),
    drainEndsAt: null,
  };
  return {
    route,
    configured: { chain, setting: { name: "local", rpcUrl: config.rpcUrl, facilitator: "local", enabled: true } },
  };
}

/** Creates the fixture's offer row (once per ledger). */
export async function createSettleOffer(db: Db, config: DevnetGatewayConfig): Promise<void> {
  const { route } = settleRoute(config);
  await db.offer.create({
    data: {
      id: offerId,
      name: route.name,
      liveName: route.name,
      type: "http",
      upstreamUrl: route.upstreamUrl,
      path: route.path,
      chain: "local",
      asset: config.usdc,
      payTo: config.payTo,
      priceAmount: "0.01",
    },
  });
}

/** Serves the gateway on a free loopback port. */
export async function serveDevnetGateway(db: Db, config: DevnetGatewayConfig) {
  const { route, configured } = settleRoute(config);
  const facilitator = createLocalFacilitator({
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    privateKey: config.facilitatorKey,
    ...config.facilitator,
  });
  const local: ConfiguredChain = { ...configured, facilitator };
  const chains: ChainRuntime = { list: async () => [local], get: async (name) => (name === "local" ? local : null) };
  const routes = createInMemoryRouteTable();
  routes.replace([route]);
  const gateway = createGateway({
    routes,
    chains,
    payments: createPaymentRepository({ db }),
    metrics: createMetrics({ processMetrics: false }),
    publicBaseUrl: "http://127.0.0.1",
    log: silentLog,
  });
  const server = createServer((req, res) => void gateway.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    route,
    chains,
    async close() {
      facilitator.close();
      gateway.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
