// The comparison target of `pnpm bench:settlement`, in its own process: the official `@x402/express` seller
// middleware with the official in-process facilitator (`x402Facilitator` + the `exact` EVM scheme over a viem
// wallet, as the x402 examples wire it), in front of the same loopback upstream, settling on the same anvil.
// Usage: bench-settlement-official.ts <upstream> <rpcUrl> <usdc> <gasKey> <payTo>. Prints `READY <json>`.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { x402Facilitator } from "@x402/core/facilitator";
import type { Network, SupportedResponse } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import express from "express";
import { type Address, createWalletClient, type Hex, http as viemHttp, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devnetChain } from "../chain/devnet-chain.ts";

const [upstreamUrl, rpcUrl, usdc, gasKey, payTo] = process.argv.slice(2);
if (!upstreamUrl || !rpcUrl || !usdc || !gasKey || !payTo) {
  process.stderr.write("usage: bench-settlement-official.ts <upstream> <rpcUrl> <usdc> <gasKey> <payTo>\n");
  process.exit(2);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));

const network: Network = "eip155:31337";
const account = privateKeyToAccount(gasKey as Hex);
const wallet = createWalletClient({ account, chain: devnetChain(rpcUrl), transport: viemHttp(rpcUrl) }).extend(
  publicActions,
);
const signer = toFacilitatorEvmSigner({
  address: account.address,
  readContract: (args) => wallet.readContract(args as Parameters<typeof wallet.readContract>[0]),
  verifyTypedData: (args) => wallet.verifyTypedData(args as Parameters<typeof wallet.verifyTypedData>[0]),
  writeContract: (args) => wallet.writeContract(args as Parameters<typeof wallet.writeContract>[0]),
  sendTransaction: (args) => wallet.sendTransaction(args),
  waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
  getCode: (args) => wallet.getCode(args),
});
const facilitator = new x402Facilitator();
registerExactEvmScheme(facilitator, { signer, networks: network });
const resourceServer = new x402ResourceServer({
  verify: (payload, requirements) => facilitator.verify(payload, requirements),
  settle: (payload, requirements) => facilitator.settle(payload, requirements),
  getSupported: async () => facilitator.getSupported() as SupportedResponse,
}).register(network, new ExactEvmScheme());

const upstream = new URL(upstreamUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const app = express();
app.use(
  paymentMiddleware(
    {
      "GET /services/bench/*": {
        accepts: {
          scheme: "exact",
          network,
          payTo: payTo as Address,
          price: { amount: "10000", asset: usdc, extra: { name: "USDC", version: "2" } },
          maxTimeoutSeconds: 300,
        },
        description: "Bench API",
        mimeType: "application/json",
      },
    },
    resourceServer,
  ),
);
app.get("/services/bench/*rest", (req, res) => {
  const proxied = http.request(
    { hostname: upstream.hostname, port: upstream.port, path: "/", method: req.method, agent },
    (up) => {
      res.status(up.statusCode ?? 502);
      res.setHeader("content-type", up.headers["content-type"] ?? "application/json");
      const chunks: Buffer[] = [];
      up.on("data", (chunk: Buffer) => chunks.push(chunk));
      up.on("end", () => res.end(Buffer.concat(chunks)));
    },
  );
  proxied.on("error", () => res.status(502).end());
  proxied.end();
});

const server = app.listen(0, "127.0.0.1", () => {
  server.keepAliveTimeout = 60_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(`READY ${JSON.stringify({ url, gasAccount: account.address })}\n`);
});
