import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { type Address, createPublicClient, erc20Abi, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, serveEnv } from "../testing/serve-process.ts";
import { useServeHome } from "../testing/serve-home.ts";
import { statusUntil } from "../testing/status-until.ts";

// Agent-backed offers (SPEC §13, issue 15 acceptance 2): a buyer pays on the devnet and gets a completion
// from the agent's built-in runtime over the demo model; the payment is in the ledger.
const box = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;

async function cli(args: string[]) {
  const res = await runCli([...args, "--json"], serveEnv(box.home(), { ...box.dbEnv(), TOLLGATE_URL: server.url }));
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

type DevnetInfo = { rpcUrl: string; usdc: Address; accounts: { buyer: { address: Address; privateKey: Hex } } };
const network = "eip155:31337";
const endpoint = () => `${server.url}/services/ask/v1/chat/completions`;
const chat = (content: string) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ model: "researcher", messages: [{ role: "user", content }] }),
});

/** Polls the offer's chat endpoint until it answers `wanted` (the reconciler publishes or removes the route). */
const routeStatusUntil = (wanted: number, timeoutMs: number) =>
  statusUntil({ url: endpoint(), init: () => chat("hello") }, wanted, timeoutMs);

beforeAll(async () => {
  server = await box.start();
}, 150_000);

describe("agent-backed offers", () => {
  it("sells an agent: validated on create, 402 unpaid, a paid completion from the agent, the payment in the ledger", async () => {
    const agent = await cli([
      "agents",
      "create",
      "researcher",
      "--model",
      "demo",
      "--skill",
      "research",
      "--objective",
      "Answer with sources.",
    ]);
    expect(agent.code, agent.stderr).toBe(0);

    const noAgent = await cli(["offers", "create", "ask", "--type", "agent", "--price", "0.01"]);
    expect(noAgent.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "agent" });
    const unknown = await cli(["offers", "create", "ask", "--type", "agent", "--agent", "nobody", "--price", "0.01"]);
    expect(unknown.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "agent" });
    const wrongType = await cli([
      "offers",
      "create",
      "ask",
      "--agent",
      "researcher",
      "--upstream",
      "http://127.0.0.1:9",
      "--price",
      "0.01",
    ]);
    expect(wrongType.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "agent" });
    const created = await cli([
      "offers",
      "create",
      "ask",
      "--type",
      "agent",
      "--agent",
      "researcher",
      "--price",
      "0.01",
      "--no-register",
    ]);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    expect(created.json).toMatchObject({ type: "agent", upstreamUrl: "agent://researcher" });
    expect((await cli(["agents", "show", "researcher"])).json.offers).toEqual(["ask"]);

    expect(await routeStatusUntil(402, 60_000)).toBe(402);

    const devnet: DevnetInfo = (await cli(["devnet", "info"])).json;
    const buyer = devnet.accounts.buyer;
    const publicClient = createPublicClient({ transport: http(devnet.rpcUrl) });
    const balance = () =>
      publicClient.readContract({
        address: devnet.usdc,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [buyer.address],
      });
    const before = await balance();
    const client = x402Client.fromConfig({
      schemes: [{ network, client: new ExactEvmScheme(privateKeyToAccount(buyer.privateKey)) }],
      spendControls: { allowedAssets: [{ network, asset: devnet.usdc, maxAmountPerPayment: "10000" }] },
    });
    const res = await wrapFetchWithPayment(fetch, client)(endpoint(), chat("what is x402"));
    expect(res.status).toBe(200);
    const completion = (await res.json()) as {
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number };
    };
    expect(completion.choices[0]?.message.content).toBe("Echo: what is x402");
    // The demo model counts every word it was sent: the agent's system prompt came before the buyer's 3.
    expect(completion.usage.prompt_tokens).toBeGreaterThan(3 + 5);
    const receipt = decodePaymentResponseHeader(res.headers.get("payment-response") ?? "");
    expect(receipt.success).toBe(true);
    expect(before - (await balance())).toBe(10_000n);
    const payments = await cli(["payments", "list", "--offer", "ask"]);
    const rows = (Array.isArray(payments.json) ? payments.json : payments.json.payments) as Record<string, unknown>[];
    expect(rows.find((p) => String(p.txHash).toLowerCase() === receipt.transaction.toLowerCase())).toMatchObject({
      state: "settled",
      amount: "10000",
    });
  }, 180_000);

  it("deleting the agent needs --force while offers sell it, and then deletes those offers", async () => {
    const refused = await cli(["agents", "delete", "researcher"]);
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe("CONFLICT");
    expect(refused.json.error.message).toContain("ask");
    expect((await cli(["offers", "show", "ask"])).json.state).toBe("active");

    const forced = await cli(["agents", "delete", "researcher", "--force"]);
    expect(forced.code, forced.stdout).toBe(0);
    expect(forced.json.offers).toEqual(["ask"]);
    expect((await cli(["offers", "show", "ask"])).json.state).toBe("deleted");
    expect((await cli(["agents", "list"])).json).toEqual([]);
    expect(await routeStatusUntil(404, 30_000)).toBe(404);
  }, 120_000);
});
