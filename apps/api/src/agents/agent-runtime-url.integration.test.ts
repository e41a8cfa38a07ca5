import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, serveEnv } from "../testing/serve-process.ts";
import { useServeHome } from "../testing/serve-home.ts";
import { statusUntil } from "../testing/status-until.ts";

// An agent answered by an external runtime (SPEC §13, issue 15: "an external runtime can be used instead by
// URL"): the URL is validated like an offer upstream, and a buyer who pays the agent-backed offer gets the
// external runtime's completion; switching back to the built-in runtime answers from the agent's model again.
const box = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;
let external: Server;
let externalUrl: string;
/** What the external runtime was sent, in order. */
const received: { path: string; body: unknown }[] = [];

async function cli(args: string[]) {
  const res = await runCli([...args, "--json"], serveEnv(box.home(), { ...box.dbEnv(), TOLLGATE_URL: server.url }));
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

const network = "eip155:31337";
const endpoint = () => `${server.url}/services/scout-ask/v1/chat/completions`;
const chat = (content: string) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ model: "scout", messages: [{ role: "user", content }] }),
});

/** A small OpenAI-compatible runtime on loopback: it answers `external: <the last message>`. */
async function startExternalRuntime(): Promise<void> {
  external = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : null;
      received.push({ path: `${req.method} ${req.url}`, body });
      res.writeHead(200, { "content-type": "application/json" });
      if (req.method === "GET" && req.url === "/v1/models") {
        res.end(JSON.stringify({ object: "list", data: [{ id: "scout-runtime", object: "model" }] }));
        return;
      }
      const last = (body as { messages: { content: string }[] }).messages.at(-1)?.content;
      res.end(
        JSON.stringify({
          id: "chatcmpl-external",
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: `external: ${last}` }, finish_reason: "stop" }],
          usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => external.listen(0, "127.0.0.1", resolve));
  externalUrl = `http://127.0.0.1:${(external.address() as AddressInfo).port}`;
}

/** Polls the offer's chat endpoint until it answers `wanted` (the reconciler publishes or removes the route). */
const routeStatusUntil = (wanted: number, timeoutMs: number) =>
  statusUntil({ url: endpoint(), init: () => chat("hello") }, wanted, timeoutMs);

beforeAll(async () => {
  await startExternalRuntime();
  server = await box.start();
}, 150_000);

afterAll(async () => {
  await new Promise((resolve) => external?.close(resolve));
});

describe("an agent with an external runtime", () => {
  it("refuses a runtime URL that is not http(s), carries credentials or reaches the server's own port", async () => {
    const cases: [string, string][] = [
      ["ftp://127.0.0.1:21", "http(s)"],
      [`http://user:secret@127.0.0.1:${new URL(externalUrl).port}`, "user name or password"],
      [server.url, "Tollgate itself"],
    ];
    for (const [url, message] of cases) {
      const res = await cli(["agents", "create", "bad", "--model", "demo", "--runtime-url", url]);
      expect(res.code, url).toBe(1);
      expect(res.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "runtimeUrl" });
      expect(res.json.error.message).toContain(message);
    }
    // Nothing was created: no agent, so no wallet was minted.
    expect((await cli(["agents", "list"])).json).toEqual([]);
  }, 60_000);

  it("a buyer pays the agent-backed offer and gets the external runtime's completion; the payment is in the ledger", async () => {
    const created = await cli(["agents", "create", "scout", "--model", "demo", "--runtime-url", `${externalUrl}/`]);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    expect(created.json.runtimeUrl).toBe(externalUrl);
    const offer = await cli([
      "offers",
      "create",
      "scout-ask",
      "--type",
      "agent",
      "--agent",
      "scout",
      "--price",
      "0.01",
      "--no-register",
    ]);
    expect(offer.code, offer.stdout + offer.stderr).toBe(0);
    // Listed once the external runtime's /v1/models answered the health probe.
    expect(await routeStatusUntil(402, 60_000)).toBe(402);
    expect(received.some((r) => r.path === "GET /v1/models")).toBe(true);

    const devnet = (await cli(["devnet", "info"])).json as {
      usdc: Address;
      accounts: { buyer: { privateKey: Hex } };
    };
    const client = x402Client.fromConfig({
      schemes: [{ network, client: new ExactEvmScheme(privateKeyToAccount(devnet.accounts.buyer.privateKey)) }],
      spendControls: { allowedAssets: [{ network, asset: devnet.usdc, maxAmountPerPayment: "10000" }] },
    });
    const pay = wrapFetchWithPayment(fetch, client);
    const res = await pay(endpoint(), chat("find me a paper"));
    expect(res.status).toBe(200);
    const completion = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(completion.choices[0]?.message.content).toBe("external: find me a paper");
    // The external runtime got the buyer's request as it came (it runs the agent itself).
    const posted = received.filter((r) => r.path === "POST /v1/chat/completions");
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toEqual({ model: "scout", messages: [{ role: "user", content: "find me a paper" }] });
    const receipt = decodePaymentResponseHeader(res.headers.get("payment-response") ?? "");
    expect(receipt.success).toBe(true);
    const payments = await cli(["payments", "list", "--offer", "scout-ask"]);
    const rows = (Array.isArray(payments.json) ? payments.json : payments.json.payments) as Record<string, unknown>[];
    expect(rows.find((p) => String(p.txHash).toLowerCase() === receipt.transaction.toLowerCase())).toMatchObject({
      state: "settled",
      amount: "10000",
    });

    // An update is validated the same way and changes nothing when refused.
    const refused = await cli(["agents", "update", "scout", "--runtime-url", server.url]);
    expect(refused.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "runtimeUrl" });
    expect((await cli(["agents", "show", "scout"])).json.runtimeUrl).toBe(externalUrl);

    // Back to the built-in runtime: the next paid request is answered by the agent's model (the demo echo).
    const builtIn = await cli(["agents", "update", "scout", "--built-in-runtime"]);
    expect(builtIn.code, builtIn.stdout + builtIn.stderr).toBe(0);
    expect(builtIn.json.runtimeUrl).toBeNull();
    const again = await pay(endpoint(), chat("and another"));
    expect(again.status).toBe(200);
    const echoed = (await again.json()) as { choices: { message: { content: string } }[] };
    expect(echoed.choices[0]?.message.content).toBe("Echo: and another");
    expect(received.filter((r) => r.path === "POST /v1/chat/completions")).toHaveLength(1);
  }, 180_000);
});
