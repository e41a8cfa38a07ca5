// `pnpm bench:gateway`: requests/s and p50/p99 latency of the gateway against its floors, in one run, on
// loopback. Every target runs in its own process; this process is the load generator. Bounded: about a
// minute in all. Progress on stderr, the table on stdout.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import { x402Client } from "@x402/core/client";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentRequirements } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type LoadResult, runLoad } from "./load-generator.ts";
import { startTargetProcess, stopTargetProcess } from "./target-process.ts";

const targetScript = fileURLToPath(new URL("./bench-target.ts", import.meta.url));
const children: ChildProcess[] = [];
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;
const CONCURRENCY = 16;
const PAID_COUNTS: [number, number][] = [
  [1, 30],
  [8, 120],
  [32, 240],
];

/** Starts a target process and waits for its READY line. */
async function startTarget(args: string[]): Promise<Record<string, unknown> & { url: string }> {
  const { child, info } = await startTargetProcess(targetScript, args);
  children.push(child);
  return info;
}

const stopTarget = stopTargetProcess;

async function timed(label: string, options: Parameters<typeof runLoad>[0], warm = true): Promise<LoadResult> {
  if (warm) await runLoad({ ...options, durationMs: WARMUP_MS, count: undefined });
  log(`${label}…`);
  return runLoad(options);
}

/** Unsigned payment headers with distinct nonces (the instant facilitator checks no signature). */
function unsignedHeaders(requirements: PaymentRequirements, count: number): string[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, () =>
    encodeBase64Json({
      x402Version: 2,
      accepted: requirements,
      payload: {
        signature: `0x${"11".repeat(65)}`,
        authorization: {
          from: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
          to: requirements.payTo,
          value: requirements.amount,
          validAfter: String(now - 600),
          validBefore: String(now + 600),
          nonce: `0x${randomBytes(32).toString("hex")}`,
        },
      },
    }),
  );
}

interface Row {
  label: string;
  concurrency: number;
  result: LoadResult;
  note?: string;
}

function format(rows: Row[], floor: number): string {
  const header = ["scenario", "conc", "requests", "non-2xx", "req/s", "p50 ms", "p99 ms", "req/s vs a′"];
  const body = rows.map((r) => {
    const ok = Object.entries(r.result.statuses)
      .filter(([s]) => !s.startsWith("2"))
      .reduce((n, [, c]) => n + c, 0);
    return [
      r.label,
      String(r.concurrency),
      String(r.result.requests),
      String(ok + r.result.errors),
      r.result.rps.toFixed(0),
      r.result.p50.toFixed(2),
      r.result.p99.toFixed(2),
      `${(r.result.rps / floor).toFixed(3)}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...body.map(line)].join("\n");
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  log("starting the upstream");
  const upstream = await startTarget(["upstream"]);
  rows.push({
    label: "(a)  upstream direct",
    concurrency: CONCURRENCY,
    result: await timed("(a) upstream direct", {
      url: `${upstream.url}/`,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
    }),
  });

  const proxy = await startTarget(["proxy", upstream.url]);
  rows.push({
    label: "(a′) minimal keep-alive Node proxy",
    concurrency: CONCURRENCY,
    result: await timed("(a′) minimal proxy", {
      url: `${proxy.url}/`,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
    }),
  });
  await stopTarget(children.at(-1));

  const gateway = await startTarget(["gateway", upstream.url]);
  rows.push({
    label: "(b)  unpaid → 402 challenge",
    concurrency: CONCURRENCY,
    result: await timed("(b) unpaid 402", {
      url: `${gateway.url}/services/bench/`,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
    }),
  });
  const requirements = gateway.requirements as PaymentRequirements;
  // Enough distinct headers for the run (one authorization pays once).
  const headers = unsignedHeaders(requirements, 60_000);
  let used = 0;
  const paidHeaders = () => ({ "payment-signature": headers[used++ % headers.length] ?? "" });
  rows.push({
    label: "(b′) paid route, verify+settle instant",
    concurrency: CONCURRENCY,
    result: await timed("(b′) paid route through the gateway", {
      url: `${gateway.url}/services/bench/`,
      concurrency: CONCURRENCY,
      durationMs: DURATION_MS,
      headersFor: paidHeaders,
    }),
  });
  await stopTarget(children.at(-1));

  log("starting the devnet, Postgres and the local facilitator (c)");
  const devnet = await startTarget(["gateway-devnet", upstream.url]);
  const challenge = await fetch(`${devnet.url}/services/bench/`);
  const paymentRequired = decodePaymentRequiredHeader(challenge.headers.get("payment-required") ?? "");
  const buyer = x402Client.fromConfig({
    schemes: [{ network: "eip155:31337", client: new ExactEvmScheme(privateKeyToAccount(devnet.buyerKey as Hex)) }],
    spendControls: {
      allowedAssets: [{ network: "eip155:31337", asset: String(devnet.usdc), maxAmountPerPayment: "1000000" }],
    },
  });
  for (const [concurrency, count] of PAID_COUNTS) {
    log(`(c) signing ${count} payments for concurrency ${concurrency} (before the clock starts)`);
    const signed: string[] = [];
    for (let i = 0; i < count; i++) signed.push(encodeBase64Json(await buyer.createPaymentPayload(paymentRequired)));
    const result = await timed(
      `(c) paid on the devnet, concurrency ${concurrency}`,
      {
        url: `${devnet.url}/services/bench/`,
        concurrency,
        count,
        headersFor: (i) => ({ "payment-signature": signed[i] ?? "" }),
      },
      false,
    );
    rows.push({ label: `(c)  paid, devnet settlement, c=${concurrency}`, concurrency, result });
  }

  const floor = rows[1]?.result.rps ?? 1;
  process.stdout.write(
    `\nTollgate gateway benchmark (loopback, ${CONCURRENCY} keep-alive connections unless noted; ${
      DURATION_MS / 1000
    } s per timed row after a ${WARMUP_MS / 1000} s warm-up; (c) rows are count-bounded)\n\n`,
  );
  process.stdout.write(`${format(rows, floor)}\n\n`);
  process.stdout.write(
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        " ",
      )} on ${cpus().length} cores (other work on the box skews every row; compare ratios within one run).\n\n`,
  );
  process.stdout.write(
    [
      "(a)  the upstream alone (small JSON).",
      "(a′) node:http request() through a keep-alive Agent: the floor for any Node reverse proxy.",
      "(b)  no payment header: route lookup and the v2 402 (header + JSON body, pre-rendered per route generation).",
      "(b′) every request carries a distinct payment header and takes the full gateway path — parse, deep-equal",
      "     match, verify, ledger row, proxy, settle, PAYMENT-RESPONSE — with verification and settlement done",
      "     (an instant facilitator) and an in-memory ledger: the gateway's own cost on top of (a′).",
      "(c)  signed EIP-3009 payments (signed before the clock) verified and settled by the in-process facilitator",
      "     on the anvil devnet, one transaction per request, rows in a real Postgres; 200 = settled.",
      "",
    ].join("\n"),
  );
}

try {
  await main();
} finally {
  for (const child of children.reverse()) await stopTarget(child);
}
