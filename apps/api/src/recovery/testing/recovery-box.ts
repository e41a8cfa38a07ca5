// Test support for the recovery tests: a loopback upstream that can hold requests, a buyer with the official
// x402 client, and readers for what a seller would check (documents, routes, chain).
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import { x402Client } from "@x402/core/client";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentPayload } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { wrapFetchWithPayment } from "@x402/fetch";
import { type Address, createPublicClient, erc20Abi, type Hex, http, parseAbiItem } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { identityRegistryArtifact } from "../../../../../contracts/artifacts/index.ts";
import { createApiClient } from "../../cli/api-client.ts";
import { homePaths } from "../../home/data-home.ts";

/** Polls `read` until `ok` holds or `ms` pass (then throws with the last value). */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}${lastError ? `; error: ${String(lastError)}` : ""}`,
  );
}

/** A loopback upstream: `/hold…` requests wait until released; everything else answers 200 JSON at once. */
export async function startHoldingUpstream() {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/hold")) {
      held.push(res);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** How many requests arrived on `/hold…` so far. */
    heldCount: () => held.length,
    releaseAll() {
      for (const res of held.splice(0)) if (!res.destroyed) res.end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface DevnetView {
  rpcUrl: string;
  chainId: number;
  usdc: string;
  identityRegistry: string;
  accounts: Record<"seller" | "buyer" | "facilitator", { address: string; privateKey: string | null }>;
}

/** The admin API of the server serving `home`, with its owner token. */
export const adminClient = (home: string, url: string) =>
  createApiClient({ url, tokenFile: homePaths(home).adminToken });

/** The devnet buyer paying with the official x402 client. */
export function createBuyer(devnet: DevnetView) {
  const account = privateKeyToAccount(devnet.accounts.buyer.privateKey as Hex);
  const client = x402Client.fromConfig({
    schemes: [{ network: `eip155:${devnet.chainId}`, client: new ExactEvmScheme(account) }],
    spendControls: {
      allowedAssets: [{ network: `eip155:${devnet.chainId}`, asset: devnet.usdc, maxAmountPerPayment: "1000000" }],
    },
  });
  return {
    address: account.address,
    payFetch: wrapFetchWithPayment(fetch, client),
    /** A fresh signed payment for `url` (from its 402 challenge), as the PAYMENT-SIGNATURE value. */
    async sign(url: string): Promise<{ payload: PaymentPayload; header: string }> {
      const res = await fetch(url);
      if (res.status !== 402) throw new Error(`${url} answered ${res.status}, not 402`);
      const required = decodePaymentRequiredHeader(res.headers.get("payment-required") ?? "");
      const payload = await client.createPaymentPayload(required);
      return { payload, header: encodeBase64Json(payload) };
    },
  };
}

/** Chain reads: USDC balances, ERC-8004 mints and tokenURI. */
export function chainReader(devnet: DevnetView) {
  const chain = createPublicClient({ transport: http(devnet.rpcUrl) });
  const registry = devnet.identityRegistry as Address;
  return {
    chain,
    usdcBalance: (address: string) =>
      chain.readContract({
        address: devnet.usdc as Address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [address as Address],
      }),
    mints: () =>
      chain.getLogs({
        address: registry,
        event: parseAbiItem("event Registered(uint256 indexed agentId, string agentURI, address indexed owner)"),
        fromBlock: 0n,
      }),
    tokenUri: (agentId: string) =>
      chain.readContract({
        address: registry,
        abi: identityRegistryArtifact.abi,
        functionName: "tokenURI",
        args: [BigInt(agentId)],
      }) as Promise<string>,
  };
}

export type CatalogService = { name: string; endpoint: string; drainEndsAt?: string };

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/** The status an unpaid GET on an offer's route gets. */
export async function routeStatus(base: string, name: string): Promise<number> {
  const res = await fetch(`${base}/services/${name}/`);
  await res.arrayBuffer();
  return res.status;
}
