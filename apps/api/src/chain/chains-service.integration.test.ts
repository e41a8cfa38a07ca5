import { chainSettingKey } from "@tollgate/core/chains/index";
import { x402Client } from "@x402/core/client";
import type { Network, PaymentRequirements } from "@x402/core/types";
import { ExactEvmScheme as ExactEvmClientScheme } from "@x402/evm/exact/client";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServices } from "../services/app-services.ts";
import { chainsRouter, devnetRouter } from "../trpc/routers/chains.ts";
import { createCallerFactory, router } from "../trpc/trpc.ts";
import { createChainRuntime } from "./create-chain-runtime.ts";
import { createChainsService } from "@tollgate/core/chains/index";
import { createDevnetService } from "./create-devnet-service.ts";
import { createHttpFacilitator } from "./create-http-facilitator.ts";
import { createLocalFacilitator } from "./create-local-facilitator.ts";
import type { Devnet } from "./start-devnet.ts";
import { serveFacilitatorOverHttp } from "./testing/serve-facilitator-over-http.ts";
import { startTestDevnet } from "./testing/start-test-devnet.ts";

const network: Network = "eip155:31337";
let devnet: Devnet;
let stores: Awaited<ReturnType<typeof startTestDevnet>>;
let remote: Awaited<ReturnType<typeof serveFacilitatorOverHttp>>;

beforeAll(async () => {
  stores = await startTestDevnet();
  devnet = stores.devnet;
  remote = await serveFacilitatorOverHttp(
    createLocalFacilitator({
      rpcUrl: devnet.rpcUrl,
      chainId: 31337,
      privateKey: devnet.accounts.facilitator.privateKey,
    }),
  );
}, 60_000);

afterAll(async () => {
  await remote?.close();
  await stores?.cleanup();
});

describe("HTTP facilitator", () => {
  it("verifies and settles through the x402 facilitator HTTP API", async () => {
    const facilitator = createHttpFacilitator({ url: remote.url });
    expect(await facilitator.checkHealth(network)).toMatchObject({ status: "ok" });
    const requirements: PaymentRequirements = {
      scheme: "exact",
      network,
      amount: "2500",
      asset: devnet.usdc,
      payTo: devnet.accounts.seller.address,
      maxTimeoutSeconds: 120,
      extra: { name: "USDC", version: "2" },
    };
    const client = x402Client.fromConfig({
      schemes: [{ network, client: new ExactEvmClientScheme(privateKeyToAccount(devnet.accounts.buyer.privateKey)) }],
      spendControls: { allowedAssets: [{ network, asset: devnet.usdc }] },
    });
    const payload = await client.createPaymentPayload({
      x402Version: 2,
      resource: { url: "http://127.0.0.1/x" },
      accepts: [requirements],
    });
    expect(await facilitator.verify(payload, requirements)).toMatchObject({ isValid: true });
    expect(await facilitator.settle(payload, requirements)).toMatchObject({ success: true, network });
  });

  it("reports an unreachable facilitator as unavailable", async () => {
    const facilitator = createHttpFacilitator({ url: "http://127.0.0.1:9", healthTimeoutMs: 2_000 });
    expect(await facilitator.checkHealth(network)).toMatchObject({ status: "unavailable", reason: "unreachable" });
  });
});

describe("chains.list and devnet.info over tRPC", () => {
  it("shows each enabled chain with its facilitator status, and the devnet with balances", async () => {
    // Two more chains: one behind a remote facilitator that does not serve its network, one with no gas key.
    await stores.settings.set(chainSettingKey("base-sepolia"), {
      name: "base-sepolia",
      rpcUrl: "https://sepolia.base.org/some/key",
      facilitator: remote.url,
      enabled: true,
    });
    await stores.settings.set(chainSettingKey("base"), {
      name: "base",
      rpcUrl: "https://mainnet.base.org",
      facilitator: "local",
      enabled: true,
    });
    await stores.settings.set(chainSettingKey("ethereum"), {
      name: "ethereum",
      rpcUrl: "https://eth.example",
      facilitator: "local",
      enabled: false,
    });
    const runtime = createChainRuntime({ settings: stores.settings, secrets: stores.secrets });
    const services = {
      chains: createChainsService({ runtime }),
      devnet: createDevnetService({ secrets: stores.secrets, settings: stores.settings }),
    } as unknown as AppServices;
    const createCaller = createCallerFactory(router({ chains: chainsRouter, devnet: devnetRouter }));
    const reader = createCaller({ caller: { kind: "token", scope: "read", actor: "test" }, services });
    const admin = createCaller({ caller: { kind: "token", scope: "admin", actor: "test" }, services });

    const chains = await reader.chains.list();
    expect(chains.map((chain) => chain.name)).toEqual(["local", "base-sepolia", "base"]);
    const [local, baseSepolia, base] = chains;
    expect(local).toMatchObject({
      caip2: "eip155:31337",
      testnet: true,
      usdc: { address: devnet.usdc, symbol: "USDC", decimals: 6, eip712: { name: "USDC", version: "2" } },
      identityRegistry: devnet.identityRegistry,
      registrationSigner: true,
      facilitator: { kind: "local", health: { status: "ok", signers: [devnet.accounts.facilitator.address] } },
    });
    expect(baseSepolia).toMatchObject({
      rpcOrigin: "https://sepolia.base.org",
      facilitator: {
        kind: "http",
        label: remote.url,
        health: { status: "unavailable", reason: "unsupported_network" },
      },
    });
    expect(base?.facilitator.health).toMatchObject({ status: "unavailable", reason: "not_configured" });

    // The runtime hands the gateway one shared facilitator per chain.
    expect((await runtime.get("local"))?.facilitator).toBe((await runtime.get("local"))?.facilitator);

    const info = await admin.devnet.info();
    expect(info).toMatchObject({ chainId: 31337, running: true, rpcUrl: devnet.rpcUrl, usdc: devnet.usdc });
    expect(BigInt(info?.accounts.buyer.usdcBalance ?? "0")).toBeGreaterThanOrEqual(1_000n * 10n ** 6n);
    await expect(reader.devnet.info()).rejects.toThrow(/admin/);
    const anonymous = createCaller({ caller: { kind: "anonymous" }, services });
    await expect(anonymous.chains.list()).rejects.toThrow();
  });
});
