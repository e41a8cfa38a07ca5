// `pnpm bench:inference`: streamed chat completions through the gateway (a paid, metered inference offer
// selling a ledger model) against the same requests sent straight to the demo model server. Prints time to
// first token and tokens/s for both, and their ratios. In-process on loopback, with an instant facilitator
// so the figures show the gateway's own cost, not the chain's. About 20 s.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolveChain } from "@tollgate/core/chains/index";
import { getChainByName } from "@tollgate/core/chains/find-chain";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import type { ChainRuntime, ConfiguredChain } from "@tollgate/core/runtime/chain-runtime";
import type { PublishedRoute } from "@tollgate/core/runtime/route-table";
import { buildPaymentRequirements } from "@tollgate/core/x402/build-payment-requirements";
import type { PaymentRequirements } from "@x402/core/types";
import { noUptoFacilitators } from "../chain/upto/start-upto-devnet.ts";
import { createPacedDemoInference } from "../demo/demo-inference-upstream.ts";
import { createGateway } from "../gateway/create-gateway.ts";
import { createInferenceGateway } from "../gateway/inference/create-inference-gateway.ts";
import type { Logger } from "../logger.ts";
import { createMetrics } from "../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../reconciler/in-memory-route-table.ts";
import { createInstantFacilitator } from "./instant-facilitator.ts";
import { createMemoryPaymentRepository } from "./memory-payment-repository.ts";

const ROUNDS = 20;
const TOKEN_DELAY_MS = 2;
const WORDS = 150;
const silentLog = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const prompt = Array.from({ length: WORDS }, (_, i) => `word${i}`).join(" ");
const body = JSON.stringify({
  model: "demo",
  stream: true,
  max_tokens: 400,
  messages: [{ role: "user", content: prompt }],
});

interface Run {
  ttftMs: number;
  tokensPerSecond: number;
}

/** One streamed request: time to the first content chunk, and completion tokens per second of streaming. */
async function streamOnce(url: string, headers: Record<string, string>): Promise<Run> {
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let first = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (!first && text.includes('"content":"E')) first = performance.now();
  }
  const last = performance.now();
  const usage = text
    .split("\n")
    .filter((line) => line.startsWith("data: {"))
    .map((line) => JSON.parse(line.slice(6)) as { usage?: { completion_tokens: number } })
    .find((chunk) => chunk.usage)?.usage;
  const tokens = usage?.completion_tokens ?? 0;
  return { ttftMs: first - started, tokensPerSecond: tokens / ((last - first) / 1000) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function measure(label: string, run: () => Promise<Run>): Promise<{ ttft: number; tps: number }> {
  await run(); // warm-up
  const runs: Run[] = [];
  for (let i = 0; i < ROUNDS; i += 1) runs.push(await run());
  process.stderr.write(`[bench] ${label}: ${ROUNDS} streamed completions\n`);
  return { ttft: median(runs.map((r) => r.ttftMs)), tps: median(runs.map((r) => r.tokensPerSecond)) };
}

const upstream = await listen(createPacedDemoInference(TOKEN_DELAY_MS));
const resolved = resolveChain({
  chain: getChainByName("local"),
  devnet: {
    usdc: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    identityRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  },
});
const chain: ConfiguredChain = {
  chain: resolved,
  setting: { name: "local", rpcUrl: "http://127.0.0.1:9", facilitator: "local", enabled: true },
  facilitator: createInstantFacilitator(resolved.caip2),
};
const payTo = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const route: PublishedRoute = {
  offerId: "00000000-0000-4000-8000-0000000000c1",
  name: "chat",
  generation: 1,
  type: "inference",
  model: "demo",
  unit: "mtok",
  unitPriceAtomic: "500000",
  path: "/services/chat",
  upstreamUrl: `${urlOf(upstream)}/v1`,
  chain: "local",
  testnet: true,
  description: "Bench model",
  priceDisplay: "0.5 USDC/mtok",
  requirements: buildPaymentRequirements(
    {
      payment: {
        chain: "local",
        asset: resolved.usdc.address,
        payTo,
        price: "0.5",
        unit: "mtok",
        maxTimeoutSeconds: 300,
      },
    },
    resolved,
  ),
  drainEndsAt: null,
};
const routes = createInMemoryRouteTable();
routes.replace([route]);
const chains: ChainRuntime = { list: async () => [chain], get: async (name) => (name === "local" ? chain : null) };
const gateway = createGateway({
  routes,
  chains,
  payments: createMemoryPaymentRepository(),
  metrics: createMetrics({ processMetrics: false }),
  publicBaseUrl: "http://127.0.0.1",
  log: silentLog,
  inference: createInferenceGateway({
    models: {
      getModelEndpoint: async () => ({
        model: "demo",
        upstreamModel: "tollgate-demo-1",
        maxTokens: 8192,
        baseUrl: urlOf(upstream),
        apiKey: "bench-provider-key",
      }),
    },
    upto: noUptoFacilitators,
  }),
});
const front = await listen((req, res) => void gateway.handle(req, res));
const gatewayUrl = `${urlOf(front)}/services/chat/v1/chat/completions`;

// The 402 for this body names the requirement to pay (exact at the request's maximum; the instant
// facilitator checks no signature, so each request carries a fresh nonce only).
const challenge = (await (await fetch(gatewayUrl, { method: "POST", body })).json()) as {
  accepts: PaymentRequirements[];
};
const requirement = challenge.accepts[0] as PaymentRequirements;
const paymentHeader = () => {
  const now = Math.floor(Date.now() / 1000);
  return encodeBase64Json({
    x402Version: 2,
    accepted: requirement,
    payload: {
      signature: `0x${"11".repeat(65)}`,
      authorization: {
        from: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        to: payTo,
        value: requirement.amount,
        validAfter: String(now - 600),
        validBefore: String(now + 600),
        nonce: `0x${randomBytes(32).toString("hex")}`,
      },
    },
  });
};

const direct = await measure("direct", () => streamOnce(`${urlOf(upstream)}/v1/chat/completions`, {}));
const through = await measure("gateway", () => streamOnce(gatewayUrl, { "payment-signature": paymentHeader() }));
const row = (label: string, m: { ttft: number; tps: number }) =>
  `${label.padEnd(22)} ${m.ttft.toFixed(2).padStart(9)} ${m.tps.toFixed(0).padStart(10)}`;
process.stdout.write(
  [
    `streamed inference, ${ROUNDS} requests each (median), ${WORDS + 1}-token replies paced ${TOKEN_DELAY_MS} ms/token`,
    `${"path".padEnd(22)} ${"TTFT ms".padStart(9)} ${"tokens/s".padStart(10)}`,
    row("demo server (direct)", direct),
    row("through the gateway", through),
    `ratio gateway/direct: TTFT ×${(through.ttft / direct.ttft).toFixed(2)}, tokens/s ×${(through.tps / direct.tps).toFixed(2)}`,
    "",
  ].join("\n"),
);
gateway.close();
front.close();
upstream.closeAllConnections();
upstream.close();
