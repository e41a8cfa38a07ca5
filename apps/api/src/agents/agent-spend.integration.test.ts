import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, createPublicClient, erc20Abi, type Hex, http, isAddressEqual, parseEventLogs } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type ServeProcess, serveEnv } from "../testing/serve-process.ts";
import { useServeHome } from "../testing/serve-home.ts";

// Agents buy (SPEC §13, issue 15 acceptance 3 and 4): the spend policy is checked and the amount reserved in
// the ledger before anything is signed; 20 concurrent payments of 0.01 against a 0.05 budget settle exactly 5.
const box = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;
let target: string;
let payee: string;
let usdcOf: (address: string) => Promise<bigint>;
let receiptOf: (
  hash: string,
) => Promise<Awaited<ReturnType<ReturnType<typeof createPublicClient>["getTransactionReceipt"]>>>;
let shopper: string;

async function cli(args: string[]) {
  const res = await runCli([...args, "--json"], serveEnv(box.home(), { ...box.dbEnv(), TOLLGATE_URL: server.url }));
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

const chat = JSON.stringify({ messages: [{ role: "user", content: "buy me an answer" }] });
const pay = () => cli(["agents", "pay", "shopper", target, "--method", "POST", "--data", chat]);

beforeAll(async () => {
  server = await box.start();
  // What the agent buys: another agent sold at 0.01 on this box.
  expect((await cli(["agents", "create", "oracle", "--model", "demo"])).code).toBe(0);
  const offer = await cli(["offers", "create", "oracle", "--type", "agent", "--agent", "oracle", "--price", "0.01"]);
  expect(offer.code, offer.stdout).toBe(0);
  payee = offer.json.payment.payTo;
  target = `${server.url}/services/oracle/v1/chat/completions`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await fetch(target, { method: "POST", body: chat })).status === 402) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const devnet = (await cli(["devnet", "info"])).json as { rpcUrl: string; usdc: Address };
  const reader = createPublicClient({ transport: http(devnet.rpcUrl) });
  usdcOf = (address) =>
    reader.readContract({ address: devnet.usdc, abi: erc20Abi, functionName: "balanceOf", args: [address as Address] });
  receiptOf = (hash) => reader.getTransactionReceipt({ hash: hash as Hex });
  const created = await cli(["agents", "create", "shopper", "--model", "demo"]);
  shopper = created.json.walletAddress;
  const funded = await cli(["agents", "fund", "shopper", "--amount", "1"]);
  expect(funded.code, funded.stdout + funded.stderr).toBe(0);
  expect(await usdcOf(shopper)).toBe(1_000_000n);
}, 180_000);

describe("agents buy within a spend policy", () => {
  it("refuses without a policy, and a payee outside the allow-list, before signing anything", async () => {
    const noPolicy = await pay();
    expect(noPolicy.code).toBe(1);
    expect(noPolicy.json.error.code).toBe("no_spend_policy");

    const other = "0x00000000000000000000000000000000000000a1";
    const policy = await cli([
      "agents",
      "policy",
      "shopper",
      "--max-per-payment",
      "0.01",
      "--daily-budget",
      "0.05",
      "--allow-payee",
      other,
    ]);
    expect(policy.code, policy.stdout).toBe(0);
    expect(policy.json.policy).toMatchObject({ maxPerPayment: "0.01", dailyBudget: "0.05" });
    const outside = await pay();
    expect(outside.code).toBe(1);
    expect(outside.json.error.code).toBe("payee_not_allowed");
    expect(await usdcOf(shopper)).toBe(1_000_000n);
    const rows = (await cli(["agents", "payments", "shopper"])).json as { state: string; txHash: string | null }[];
    expect(rows.map((r) => r.state)).toEqual(["refused", "refused"]);
    expect(rows.every((r) => r.txHash === null)).toBe(true);
  }, 120_000);

  it("20 concurrent pays of a 0.01 offer with 0.05 a day: exactly 5 settle, 15 are refused with budget_exceeded", async () => {
    expect((await cli(["agents", "policy", "shopper", "--allow-payee", payee])).code).toBe(0);
    const results = await Promise.all(Array.from({ length: 20 }, () => pay()));
    const settled = results.filter((r) => r.code === 0);
    // Anything else than settled or budget_exceeded is named in the failure message.
    const unexpected = results.filter((r) => r.code !== 0 && r.json?.error?.code !== "budget_exceeded");
    const refused = results.filter((r) => r.code === 1);
    expect(settled, JSON.stringify(unexpected.map((r) => r.json ?? r.stderr))).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect(r.json.error.code).toBe("budget_exceeded");
    for (const r of settled) expect(r.json).toMatchObject({ paid: true, state: "settled", amount: "10000" });

    // Outbound rows match the chain: 5 settled with successful transactions, the agent 0.05 poorer.
    const rows = (await cli(["agents", "payments", "shopper", "--limit", "100"])).json as {
      state: string;
      reason: string | null;
      txHash: string | null;
      direction: string;
    }[];
    const settledRows = rows.filter((r) => r.state === "settled");
    expect(settledRows).toHaveLength(5);
    expect(rows.filter((r) => r.reason === "budget_exceeded" && r.state === "refused")).toHaveLength(15);
    expect(rows.every((r) => r.direction === "outbound")).toBe(true);
    expect(rows.filter((r) => r.state === "signed" || r.state === "reserved")).toHaveLength(0);
    for (const row of settledRows) expect((await receiptOf(row.txHash as string)).status).toBe("success");
    // The settlement engine may batch two authorizations into one transaction, so hashes can repeat; the
    // transactions carry exactly five transfers from the agent to the payee.
    let transfers = 0;
    for (const hash of new Set(settledRows.map((r) => r.txHash as string))) {
      const logs = parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: (await receiptOf(hash)).logs });
      transfers += logs.filter(
        (l) => isAddressEqual(l.args.from, shopper as Address) && isAddressEqual(l.args.to, payee as Address),
      ).length;
    }
    expect(transfers).toBe(5);
    expect(await usdcOf(shopper)).toBe(1_000_000n - 50_000n);
    const shown = await cli(["agents", "show", "shopper"]);
    expect(shown.json.spentLast24h).toBe("0.05");

    // The analytics count it as spend beside the income it paid for (this box sold the 5 calls too).
    const stats = await cli(["stats", "--since", "24h"]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.json.spend.agents).toEqual([
      expect.objectContaining({ agent: "shopper", chain: "local", payments: 5, amount: "50000", display: "0.05" }),
    ]);
    expect(stats.json.spend.days).toHaveLength(1);
    const sold = stats.json.offers.offers.find((o: { offer: string }) => o.offer === "oracle");
    expect(sold?.settled).toBe(5);
  }, 240_000);

  it("a signed payment whose answer never comes stays reserved against the budget (it may still settle)", async () => {
    // A payee that asks for the oracle's price (its 402, replayed), then drops the connection once paid.
    const challenge = await fetch(target, { method: "POST", body: chat });
    expect(challenge.status).toBe(402);
    const challengeHeaders = Object.fromEntries(challenge.headers.entries());
    const challengeBody = await challenge.text();
    let signedSeen = 0;
    const dropper = createServer((req, res) => {
      if (Object.keys(req.headers).some((h) => h.includes("payment-signature") || h === "x-payment")) {
        signedSeen += 1;
        req.socket.destroy();
        return;
      }
      res.writeHead(402, { ...challengeHeaders, "content-length": String(Buffer.byteLength(challengeBody)) });
      res.end(challengeBody);
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}/v1/chat/completions`;
      expect((await cli(["agents", "policy", "shopper", "--daily-budget", "0.06"])).code).toBe(0);
      const dropped = await cli(["agents", "pay", "shopper", url, "--method", "POST", "--data", chat]);
      expect(signedSeen).toBe(1);
      expect(dropped.code).toBe(1);
      expect(dropped.json.error.code).toBe("no_response");
      const rows = (await cli(["agents", "payments", "shopper", "--limit", "1"])).json as {
        state: string;
        reason: string | null;
      }[];
      expect(rows[0]).toMatchObject({ state: "signed", reason: "no_response" });
      expect((await cli(["agents", "show", "shopper"])).json.spentLast24h).toBe("0.06");
      // Its 0.01 is still spent: the next real purchase is over the budget, and no USDC moved.
      const next = await pay();
      expect(next.code).toBe(1);
      expect(next.json.error.code).toBe("budget_exceeded");
      expect(await usdcOf(shopper)).toBe(1_000_000n - 50_000n);
    } finally {
      await new Promise<void>((resolve) => dropper.close(() => resolve()));
    }
  }, 120_000);
});
