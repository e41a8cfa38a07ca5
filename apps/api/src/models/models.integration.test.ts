import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { UptoEvmScheme } from "@x402/evm/upto/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { type Address, createPublicClient, erc20Abi, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleDemoInference } from "../demo/demo-inference-upstream.ts";
import { runCli, type ServeProcess, serveEnv } from "../testing/serve-process.ts";
import { useServeHome } from "../testing/serve-home.ts";

// A key that must never reach a buyer, a log, /metrics or a plain export.
const providerKey = `sk-tollgate-test-${"k".repeat(12)}-secret`;

/** The demo model server behind a key check, as a hosted provider would be. */
function startKeyedProvider(port = 0): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${providerKey}`) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "bad key" } }));
      return;
    }
    void handleDemoInference(req, res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

const box = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;
let provider: Server;
let providerUrl: string;

async function cli(args: string[]) {
  const res = await runCli([...args, "--json"], serveEnv(box.home(), { TOLLGATE_URL: server.url }));
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

type Condition = { type: string; status: string; reason: string; message: string };
const ready = (m: { conditions: Condition[] }) => m.conditions.find((c) => c.type === "ModelReady");

/** Polls `models list` until `check` passes for the named model. */
async function modelUntil(name: string, check: (ready: Condition | undefined) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    // Polls over tRPC directly: a CLI process per poll is too slow on a loaded machine.
    const token = readFileSync(join(box.home(), "admin-token"), "utf8").trim();
    const res = await fetch(`${server.url}/trpc/models.list`, { headers: { authorization: `Bearer ${token}` } });
    const json = ((await res.json()) as { result?: { data?: unknown } }).result?.data ?? [];
    const model = (json as { name: string; conditions: Condition[] }[]).find((m) => m.name === name);
    last = model;
    if (model && check(ready(model))) return model;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`model ${name} never matched: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  provider = await startKeyedProvider();
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  server = await box.start();
}, 120_000);

afterAll(() => {
  provider?.closeAllConnections();
  provider?.close();
});

describe("providers and models", () => {
  it("adds a provider with its key hidden, and models whose ModelReady comes from /v1/models", async () => {
    const keyFile = join(box.home(), "provider-key.txt");
    writeFileSync(keyFile, `${providerKey}\n`, { mode: 0o600 });
    const added = await cli(["providers", "add", "local", "--base-url", providerUrl, "--api-key-file", keyFile]);
    expect(added.code).toBe(0);
    expect(added.json).toMatchObject({ name: "local", baseUrl: providerUrl, hasApiKey: true });
    expect(added.stdout).not.toContain(providerKey);

    const again = await cli(["providers", "add", "local", "--base-url", providerUrl]);
    expect(again.code).toBe(1);
    expect(again.json.error.code).toBe("CONFLICT");

    expect(
      (await cli(["models", "add", "demo", "--provider", "local", "--upstream-model", "tollgate-demo-1"])).code,
    ).toBe(0);
    expect((await cli(["models", "add", "ghost", "--provider", "local"])).code).toBe(0);
    const missingProvider = await cli(["models", "add", "other", "--provider", "nobody"]);
    expect(missingProvider.code).toBe(1);
    expect(missingProvider.json.error).toMatchObject({ code: "NOT_FOUND", field: "provider" });

    expect(ready(await modelUntil("demo", (r) => r?.status === "True"))).toMatchObject({ reason: "ModelListed" });
    expect(ready(await modelUntil("ghost", (r) => r?.status === "False"))).toMatchObject({ reason: "ModelNotFound" });

    const providers = await cli(["providers", "list"]);
    expect(providers.json).toEqual([
      expect.objectContaining({ name: "local", hasApiKey: true, models: ["demo", "ghost"] }),
    ]);
    expect(providers.stdout).not.toContain(providerKey);

    const inUse = await cli(["providers", "remove", "local"]);
    expect(inUse.code).toBe(1);
    expect(inUse.json.error.message).toContain("demo");
    expect((await cli(["models", "remove", "ghost"])).code).toBe(0);
  }, 90_000);

  it("sells a ledger model through an inference offer, and refuses to delete the model while the offer sells it", async () => {
    const created = await cli([
      "offers",
      "create",
      "chat",
      "--type",
      "inference",
      "--model",
      "demo",
      "--price",
      "0.50",
      "--unit",
      "mtok",
      "--no-register",
    ]);
    expect(created.code).toBe(0);
    expect(created.json.upstreamUrl).toBe("model://demo");

    const unknown = await cli(["offers", "create", "chat2", "--type", "inference", "--model", "nope", "--price", "1"]);
    expect(unknown.code).toBe(1);
    expect(unknown.json.error.field).toBe("model");

    const refused = await cli(["models", "remove", "demo"]);
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ code: "CONFLICT" });
    expect(refused.json.error.message).toContain("chat");
    const listed = await cli(["models", "list"]);
    expect(listed.json.find((m: { name: string }) => m.name === "demo").offers).toEqual(["chat"]);
  }, 60_000);
});

type DevnetAccount = { address: Address; privateKey: Hex };
type DevnetInfo = { rpcUrl: string; usdc: Address; accounts: { seller: DevnetAccount; buyer: DevnetAccount } };

describe("selling a model by the token", () => {
  const network = "eip155:31337";
  const price = 500_000n; // 0.50 USDC per 1M tokens, in atomic units
  let devnet: DevnetInfo;
  let buyer: { address: Address; privateKey: Hex };
  let seller: Address;
  let balanceOf: (address: Address) => Promise<bigint>;
  const endpoint = () => `${server.url}/services/chat/v1/chat/completions`;
  const chat = (extra: Record<string, unknown> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "demo",
      messages: [{ role: "user", content: "count the tokens of this" }],
      max_tokens: 200,
      ...extra,
    }),
  });
  const payingFetch = (scheme: "upto" | "exact") => {
    const account = privateKeyToAccount(buyer.privateKey);
    const client = x402Client.fromConfig({
      schemes: [{ network, client: scheme === "upto" ? new UptoEvmScheme(account) : new ExactEvmScheme(account) }],
      spendControls: { allowedAssets: [{ network, asset: devnet.usdc, maxAmountPerPayment: "1000000" }] },
    });
    return wrapFetchWithPayment(fetch, client);
  };
  const paymentRow = async (txHash: string) => {
    const { json } = await cli(["payments", "list", "--offer", "chat", "--limit", "20"]);
    const rows = (Array.isArray(json) ? json : json.payments) as Record<string, unknown>[];
    return rows.find((p) => String(p.txHash).toLowerCase() === txHash.toLowerCase());
  };

  beforeAll(async () => {
    devnet = (await cli(["devnet", "info"])).json;
    buyer = devnet.accounts.buyer;
    seller = devnet.accounts.seller.address;
    const publicClient = createPublicClient({ transport: http(devnet.rpcUrl) });
    balanceOf = (address) =>
      publicClient.readContract({
        address: devnet.usdc,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [address],
      });
    // The offer from the first describe serves once the reconciler has published it.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await fetch(endpoint(), chat())).status !== 402)
      await new Promise((r) => setTimeout(r, 300));
  }, 60_000);

  it("lists the model for free and offers upto and exact at the request's maximum", async () => {
    const models = await fetch(`${server.url}/services/chat/v1/models`);
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(["demo"]);
    const challenge = await fetch(endpoint(), chat());
    expect(challenge.status).toBe(402);
    const body = (await challenge.json()) as {
      accepts: { scheme: string; amount: string; extra: Record<string, unknown> }[];
    };
    expect(body.accepts.map((a) => a.scheme)).toEqual(["upto", "exact"]);
    expect(body.accepts[0]?.amount).toBe(body.accepts[1]?.amount);
    expect(body.accepts[0]?.extra).toMatchObject({ assetTransferMethod: "permit2" });
    expect(typeof body.accepts[0]?.extra.facilitatorAddress).toBe("string");
    const bad = await fetch(endpoint(), chat({ max_tokens: -1 }));
    expect(bad.status).toBe(400);
  });

  it("charges exactly ceil(total_tokens x price) with upto, less than the authorized maximum", async () => {
    const before = await balanceOf(buyer.address);
    const sellerBefore = await balanceOf(seller);
    const res = await payingFetch("upto")(endpoint(), chat());
    expect(res.status).toBe(200);
    const completion = (await res.json()) as {
      choices: { message: { content: string } }[];
      usage: { total_tokens: number };
    };
    expect(completion.choices[0]?.message.content).toContain("count the tokens");
    const receipt = decodePaymentResponseHeader(res.headers.get("payment-response") ?? "");
    expect(receipt.success).toBe(true);
    const expected = (BigInt(completion.usage.total_tokens) * price + 999_999n) / 1_000_000n;
    expect(before - (await balanceOf(buyer.address))).toBe(expected);
    expect((await balanceOf(seller)) - sellerBefore).toBe(expected);
    const row = await paymentRow(receipt.transaction);
    expect(row).toMatchObject({
      scheme: "upto",
      amount: expected.toString(),
      totalTokens: completion.usage.total_tokens,
      state: "settled",
    });
    expect(BigInt(String(row?.maxAmount))).toBeGreaterThan(expected);
  }, 60_000);

  it("streams chunk by chunk and settles after the stream with the usage of the final chunk", async () => {
    const before = await balanceOf(buyer.address);
    const started = performance.now();
    const res = await payingFetch("upto")(endpoint(), chat({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    let firstChunkAt = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstChunkAt) firstChunkAt = performance.now();
      text += new TextDecoder().decode(value);
    }
    const lastChunkAt = performance.now();
    expect(firstChunkAt - started).toBeLessThan(lastChunkAt - started);
    const usage = text
      .split("\n")
      .filter((l) => l.startsWith("data: {"))
      .map((l) => JSON.parse(l.slice(6)))
      .find((c) => c.usage)?.usage as { total_tokens: number };
    expect(usage.total_tokens).toBeGreaterThan(0);
    const receiptLine = text.split("\n").find((l) => l.startsWith(": x402-payment-response "));
    const receipt = decodePaymentResponseHeader(receiptLine?.slice(": x402-payment-response ".length) ?? "");
    expect(receipt.success).toBe(true);
    const expected = (BigInt(usage.total_tokens) * price + 999_999n) / 1_000_000n;
    expect(before - (await balanceOf(buyer.address))).toBe(expected);
    expect(await paymentRow(receipt.transaction)).toMatchObject({ scheme: "upto", amount: expected.toString() });
  }, 60_000);

  it("still takes exact at the maximum", async () => {
    const challenge = (await (await fetch(endpoint(), chat())).json()) as { accepts: { amount: string }[] };
    const maximum = BigInt(challenge.accepts[0]?.amount ?? "0");
    const before = await balanceOf(buyer.address);
    const res = await payingFetch("exact")(endpoint(), chat());
    expect(res.status).toBe(200);
    expect(before - (await balanceOf(buyer.address))).toBe(maximum);
  }, 60_000);

  it("never shows the provider key to the buyer, in logs, in /metrics or in a plain export", async () => {
    const res = await payingFetch("upto")(endpoint(), chat());
    const seen = [JSON.stringify([...res.headers]), await res.text()];
    seen.push(await (await fetch(`${server.url}/metrics`)).text());
    seen.push(server.output());
    const exported = join(box.home(), "plain-export.tgz");
    const exportRun = await runCli(["export", "--out", exported], serveEnv(box.home(), { TOLLGATE_URL: server.url }));
    expect(exportRun.code).toBe(0);
    const { gunzipSync } = await import("node:zlib");
    seen.push(gunzipSync(readFileSync(exported)).toString("latin1"));
    for (const text of seen) expect(text).not.toContain(providerKey);
  }, 60_000);

  it("provider down: ModelReady=False, unlisted, 503 without charge; back up: Ready again without a restart", async () => {
    const port = (provider.address() as AddressInfo).port;
    provider.closeAllConnections();
    await new Promise<void>((resolve) => provider.close(() => resolve()));
    expect(ready(await modelUntil("demo", (r) => r?.status === "False"))).toMatchObject({
      reason: "ProviderUnreachable",
    });
    // The offer follows its model through the reconciler (models.changed → the offer's conditions → the
    // catalog), a step after the model's own condition: the catalog drops it within a few seconds.
    const unlistedBy = Date.now() + 5_000;
    let listed: string[] = [];
    do {
      const catalog = (await (await fetch(`${server.url}/api/services.json`)).json()) as {
        services: { name: string }[];
      };
      listed = catalog.services.map((s) => s.name);
      if (listed.includes("chat")) await new Promise((r) => setTimeout(r, 100));
    } while (listed.includes("chat") && Date.now() < unlistedBy);
    expect(listed).not.toContain("chat");
    const before = await balanceOf(buyer.address);
    const down = await payingFetch("upto")(endpoint(), chat());
    expect(down.status).toBe(503);
    expect(await balanceOf(buyer.address)).toBe(before);

    provider = await startKeyedProvider(port);
    await modelUntil("demo", (r) => r?.status === "True");
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline && status !== 402) {
      status = (await fetch(endpoint(), chat())).status;
      if (status !== 402) await new Promise((r) => setTimeout(r, 300));
    }
    expect(status).toBe(402);
  }, 90_000);
});
