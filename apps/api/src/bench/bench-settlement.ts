// `pnpm bench:settlement`: paid requests settled on the devnet, side by side in one run — Tollgate's gateway
// (settlement engine, Postgres ledger) and the official `@x402/express` middleware with the official in-process
// facilitator, both in front of the same loopback upstream and settling on the same anvil. Every request carries
// a distinct EIP-3009 authorization signed before the clock starts. Prints settled payments/s, p50/p99, lost
// (non-200) requests, gas and transactions per settled payment, and the Tollgate / official ratios.
// Progress on stderr, the table on stdout. Each target runs in its own process; this one generates the load.
import type { ChildProcess } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import { x402Client } from "@x402/core/client";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { createPublicClient, createTestClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { devnetChain } from "../chain/devnet-chain.ts";
import { parseServerTiming } from "../gateway/settle-stage-clock.ts";
import { type LoadResult, quantile, runLoad } from "./load-generator.ts";
import { cpuByProcessName, cpuDelta } from "./process-cpu.ts";
import { startTargetProcess, stopTargetProcess, type TargetProcess } from "./target-process.ts";

const targetScript = fileURLToPath(new URL("./bench-target.ts", import.meta.url));
const officialScript = fileURLToPath(new URL("./bench-settlement-official.ts", import.meta.url));
const log = (message: string) => process.stderr.write(`[bench:settlement] ${message}\n`);
const children: ChildProcess[] = [];

/** The value of `--flag value` or `--flag=value`, if given. */
function flag(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const at = argv.indexOf(name);
  if (at >= 0) return argv[at + 1];
  return argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** (concurrency, paid requests) per row; `--runs 32:400,64:400` picks others (profiling one row). */
const RUNS: [number, number][] = (flag("--runs") ?? "1:200,8:200,32:400,64:400").split(",").map((run) => {
  const [concurrency, count] = run.split(":").map(Number);
  if (!Number.isInteger(concurrency) || !Number.isInteger(count) || !concurrency || !count || count > 100_000) {
    throw new Error(`--runs: "${run}" is not <concurrency>:<count>`);
  }
  return [concurrency, count] as [number, number];
});
/** `--sides tollgate` leaves out the official side (profiling one side). */
const SIDES = (flag("--sides") ?? "tollgate,official").split(",");
/** `--cpu-prof DIR`: every target process writes a V8 CPU profile into DIR when it exits. */
const cpuProfileDir = flag("--cpu-prof");

interface Row {
  side: "tollgate" | "official";
  concurrency: number;
  count: number;
  result: LoadResult;
  settled: number;
  pending: number;
  lost: number;
  settledPerSecond: number;
  gasPerPayment: number;
  txPerPayment: number;
  /** CPU ms per settled payment while the row ran, per process: the side's server, anvil, PostgreSQL, … */
  cpu: Map<string, number>;
  /** Per stage of the gateway's `Server-Timing` (Tollgate only): the durations of every settled request. */
  stages: Map<string, number[]>;
}

/** The gateway's stages in the order a paid request goes through them. */
const stageNames = ["verify", "insert", "upstream", "prepare", "delivered", "broadcast", "receipt", "ledger"];

/** The q-quantile of each stage per Tollgate row, and what the buyer saw at that quantile. */
function formatStages(rows: Row[], q: number): string {
  const percent = `p${Math.round(q * 100)}`;
  const header = ["conc", ...stageNames, "sum", "server", `buyer ${percent}`];
  const body = rows
    .filter((r) => r.side === "tollgate" && r.stages.size > 0)
    .map((r) => {
      const stages = stageNames.map((name) =>
        quantile(
          [...(r.stages.get(name) ?? [])].sort((a, b) => a - b),
          q,
        ),
      );
      const sum = stages.reduce((total, ms) => total + (Number.isFinite(ms) ? ms : 0), 0);
      const server = quantile(
        [...(r.stages.get("total") ?? [])].sort((a, b) => a - b),
        q,
      );
      const buyer = quantile(r.result.latencies, q);
      return [String(r.concurrency), ...[...stages, sum, server, buyer].map((ms) => ms.toFixed(2))];
    });
  return renderColumns(header, body);
}

async function start(script: string, args: string[]): Promise<TargetProcess["info"] & { pid: number }> {
  const target = await startTargetProcess(script, args, cpuProfileDir);
  children.push(target.child);
  return { ...target.info, pid: target.child.pid ?? 0 };
}

/** CPU ms used so far: the side's server process, anvil and PostgreSQL (children of Tollgate's target, shared
 * by both sides), the upstream and this load generator. */
function cpuNow(side: { pid: number }, devnetOwner: { pid: number }, upstream: { pid: number }): Map<string, number> {
  const server = cpuByProcessName([side.pid]);
  const devnet = cpuByProcessName([devnetOwner.pid]);
  const usage = process.cpuUsage();
  return new Map([
    ["server", server.get("node") ?? 0],
    ["anvil", devnet.get("anvil") ?? 0],
    ["postgres", devnet.get("postgres") ?? 0],
    ["upstream", cpuByProcessName([upstream.pid]).get("node") ?? 0],
    ["loadgen", (usage.user + usage.system) / 1000],
  ]);
}

const cpuColumns = ["server", "anvil", "postgres", "upstream", "loadgen"];

function formatCpu(rows: Row[]): string {
  const header = ["side", "conc", ...cpuColumns, "total"];
  const body = rows.map((r) => {
    const cells = cpuColumns.map((name) => r.cpu.get(name) ?? Number.NaN);
    return [
      r.side,
      String(r.concurrency),
      ...[...cells, cells.reduce((sum, ms) => sum + ms, 0)].map((ms) => (Number.isFinite(ms) ? ms.toFixed(2) : "-")),
    ];
  });
  return renderColumns(header, body);
}

function formatTable(rows: Row[]): string {
  const header = [
    "side",
    "conc",
    "paid",
    "settled",
    "pending",
    "lost",
    "settled/s",
    "p50 ms",
    "p99 ms",
    "gas/pay",
    "tx/pay",
  ];
  const body = rows.map((r) => [
    r.side,
    String(r.concurrency),
    String(r.count),
    String(r.settled),
    String(r.pending),
    String(r.lost),
    r.settledPerSecond.toFixed(1),
    r.result.p50.toFixed(1),
    r.result.p99.toFixed(1),
    Number.isFinite(r.gasPerPayment) ? r.gasPerPayment.toFixed(0) : "-",
    Number.isFinite(r.txPerPayment) ? r.txPerPayment.toFixed(3) : "-",
  ]);
  return renderColumns(header, body);
}

function formatRatios(rows: Row[]): string {
  const header = ["conc", "settled/s ×", "p50 ×", "p99 ×", "gas/pay ×", "lost (tollgate / official)"];
  const body = RUNS.map(([concurrency]) => {
    const ours = rows.find((r) => r.side === "tollgate" && r.concurrency === concurrency);
    const theirs = rows.find((r) => r.side === "official" && r.concurrency === concurrency);
    if (!ours || !theirs) return [String(concurrency), "-", "-", "-", "-", "-"];
    const ratio = (a: number, b: number) =>
      b > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}` : "-";
    return [
      String(concurrency),
      ratio(ours.settledPerSecond, theirs.settledPerSecond),
      ratio(ours.result.p50, theirs.result.p50),
      ratio(ours.result.p99, theirs.result.p99),
      ratio(ours.gasPerPayment, theirs.gasPerPayment),
      `${ours.lost} / ${theirs.lost}`,
    ];
  });
  return renderColumns(header, body);
}

function renderColumns(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...body.map(line)].join("\n");
}

async function main(): Promise<void> {
  log("starting the upstream, then the devnet + Postgres + Tollgate's gateway");
  const upstream = await start(targetScript, ["upstream"]);
  const tollgate = await start(targetScript, ["gateway-devnet", upstream.url]);
  const rpcUrl = String(tollgate.rpcUrl);
  const usdc = String(tollgate.usdc);
  const payTo = String((tollgate.requirements as { payTo: string }).payTo);
  const chain = devnetChain(rpcUrl);
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });

  // The official facilitator gets its own funded gas account (two writers never share nonces).
  const officialGasKey = generatePrivateKey();
  await createTestClient({ chain, mode: "anvil", transport: http(rpcUrl) }).setBalance({
    address: privateKeyToAccount(officialGasKey).address,
    value: 1_000n * 10n ** 18n,
  });
  log("starting the official @x402/express middleware with the official in-process facilitator");
  const official = await start(officialScript, [upstream.url, rpcUrl, usdc, officialGasKey, payTo]);

  const buyer = x402Client.fromConfig({
    schemes: [{ network: "eip155:31337", client: new ExactEvmScheme(privateKeyToAccount(tollgate.buyerKey as Hex)) }],
    spendControls: { allowedAssets: [{ network: "eip155:31337", asset: usdc, maxAmountPerPayment: "1000000" }] },
  });

  const rows: Row[] = [];
  for (const [concurrency, count] of RUNS) {
    for (const [side, target] of [
      ["tollgate", tollgate],
      ["official", official],
    ] as const) {
      if (!SIDES.includes(side)) continue;
      const url = `${target.url}/services/bench/pay`;
      const challenge = await fetch(url);
      const paymentRequired = decodePaymentRequiredHeader(challenge.headers.get("payment-required") ?? "");
      log(`${side} c=${concurrency}: signing ${count} payments (before the clock)`);
      const signed: string[] = [];
      for (let i = 0; i < count; i++) signed.push(encodeBase64Json(await buyer.createPaymentPayload(paymentRequired)));
      const receipts: ({ success: boolean; transaction: string; errorReason?: string } | null)[] = [];
      const stages = new Map<string, number[]>();
      log(`${side} c=${concurrency}: ${count} paid requests`);
      const cpuBefore = cpuNow(target, tollgate, upstream);
      const result = await runLoad({
        url,
        concurrency,
        count,
        headersFor: (i) => ({ "payment-signature": signed[i] ?? "" }),
        onResponse: (i, res) => {
          const header = res.headers["payment-response"];
          receipts[i] =
            res.statusCode === 200 && typeof header === "string" ? decodePaymentResponseHeader(header) : null;
          const timing = res.headers["server-timing"];
          if (res.statusCode !== 200 || typeof timing !== "string") return;
          for (const [name, ms] of parseServerTiming(timing)) {
            const list = stages.get(name) ?? [];
            list.push(ms);
            stages.set(name, list);
          }
        },
      });
      const cpuUsed = cpuDelta(cpuBefore, cpuNow(target, tollgate, upstream));
      const served = result.statuses[200] ?? 0;
      const settledReceipts = receipts.filter((r) => r?.success === true);
      const pending = receipts.filter((r) => r && !r.success && r.errorReason === "settlement_pending").length;
      const hashes = [...new Set(settledReceipts.map((r) => r?.transaction as Hex))];
      const gas = (
        await Promise.all(hashes.map((hash) => publicClient.getTransactionReceipt({ hash }).then((r) => r.gasUsed)))
      ).reduce((sum, used) => sum + used, 0n);
      const settled = settledReceipts.length;
      rows.push({
        side,
        concurrency,
        count,
        result,
        settled,
        pending,
        lost: count - served,
        settledPerSecond: settled / result.seconds,
        gasPerPayment: settled > 0 ? Number(gas) / settled : Number.NaN,
        txPerPayment: settled > 0 ? hashes.length / settled : Number.NaN,
        cpu: new Map([...cpuUsed].map(([name, ms]) => [name, settled > 0 ? ms / settled : Number.NaN])),
        stages,
      });
      log(
        `${side} c=${concurrency}: ${settled} settled, ${count - served} lost, ${(settled / result.seconds).toFixed(1)}/s`,
      );
    }
  }

  process.stdout.write(
    "\nSettlement benchmark (devnet anvil, loopback; distinct EIP-3009 authorizations signed before the clock)\n\n",
  );
  process.stdout.write(`${formatTable(rows)}\n\nTollgate / official\n\n${formatRatios(rows)}\n\n`);
  process.stdout.write(
    `CPU ms per settled payment while the row ran (10 ms clock ticks; server = the side's Node process; anvil\nand postgres serve both sides, only Tollgate writes to PostgreSQL)\n\n${formatCpu(rows)}\n\n`,
  );
  process.stdout.write(
    `Where a Tollgate request's time went: median ms per stage of the gateway's Server-Timing (verify = parse +
verify in-process; insert = the verified row; upstream = proxy until the body ended; prepare = settlement queue,
encode, sign; delivered = the row moved with the hash before broadcast; broadcast = eth_sendRawTransaction;
receipt = until the block watcher had the receipt; ledger = the settled row; server = the gateway's own time from
the request to the response headers). Quantiles do not add up exactly; the buyer's latency also holds the HTTP
exchange and the load generator.\n\n${formatStages(rows, 0.5)}\n\np90:\n\n${formatStages(rows, 0.9)}\n\n`,
  );
  process.stdout.write(
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} on ${cpus().length} cores (other work on the box skews every row; compare within one run).\n\n`,
  );
  process.stdout.write(
    [
      "tollgate: the gateway (verify in-process with batched chain reads, Postgres row, proxy, settle through the",
      "          settlement engine: Multicall3 batches, local nonces, one block watcher), 200 = served with a receipt.",
      "official: @x402/express paymentMiddleware + x402ResourceServer + the official x402Facilitator (exact EVM",
      "          scheme over a viem wallet, one transaction per payment, receipts awaited per request).",
      "settled = 200 with a successful PAYMENT-RESPONSE; pending = 200 with settlement_pending; lost = not 200.",
      "gas/pay and tx/pay: receipts of the transactions named in the settled responses, per settled payment.",
      "",
    ].join("\n"),
  );
}

try {
  await main();
} finally {
  for (const child of children.reverse()) await stopTargetProcess(child);
}
