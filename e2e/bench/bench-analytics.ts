// `pnpm bench:analytics [--payments 1000000]`: seeds N payments over 90 days, 50 offers and 5,000 payers
// straight into a scratch ledger (see seed-analytics-ledger.ts), starts `tollgate serve` on it, and prints the median and p95 of every
// analytics.* procedure and filtered payments page over HTTP, the server's RSS growth during a CSV export
// of every row, and the admin overview's navigation-to-chart time in Chromium.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { createTestDatabase } from "@tollgate/db/testing/test-database";
import { inheritedEnv } from "./env.ts";
import { seedAnalyticsLedger, seedOffer, seedPayer } from "./seed-analytics-ledger.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values: args } = parseArgs({ options: { payments: { type: "string", default: "1000000" } } });
const paymentCount = Number(args.payments);
if (!Number.isInteger(paymentCount) || paymentCount < 1 || paymentCount > 20_000_000) {
  process.stderr.write(`--payments: an integer from 1 to 20000000, not "${args.payments}"\n`);
  process.exit(2);
}
const offerCount = 50;
const payerCount = 5_000;
const days = 90;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Resident set size of a process in MiB (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), "tollgate-bench-analytics-"));
  const database = await createTestDatabase();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const lines: [string, string][] = [];
  const report = (label: string, value: string) => {
    lines.push([label, value]);
    process.stdout.write(`${label.padEnd(64)}${value}\n`);
  };
  try {
    process.stdout.write(
      `seeding ${paymentCount} payments over ${days} days (${offerCount} offers, ${payerCount} payers)…\n`,
    );
    const seedStart = performance.now();
    const timings = await seedAnalyticsLedger(database.db, {
      payments: paymentCount,
      offers: offerCount,
      payers: payerCount,
      days,
    });
    const seedMs = performance.now() - seedStart;
    for (const [step, seconds] of timings) report(`seed: ${step}`, `${seconds.toFixed(1)} s`);
    report("seed total (target ≤ 180 s)", `${(seedMs / 1000).toFixed(1)} s`);

    server = spawn(process.execPath, [join(repoRoot, "apps/api/bin/tollgate.mjs"), "serve", "--port", String(port)], {
      env: {
        ...inheritedEnv,
        TOLLGATE_HOME: home,
        DATABASE_URL: database.url,
        TOLLGATE_LOG_LEVEL: "warn",
        TOLLGATE_DEVNET: "off",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const serverPid = server.pid ?? 0;
    await waitFor(async () => (await fetch(`${origin}/readyz`)).ok, "the server");
    const token = readFileSync(join(home, "admin-token"), "utf8").trim();
    const auth = { authorization: `Bearer ${token}` };
    const query = async (path: string, input: unknown) => {
      const res = await fetch(`${origin}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
        headers: auth,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as { result: { data: unknown } };
    };
    const time = async (label: string, path: string, input: unknown, runs = 15) => {
      for (let i = 0; i < 3; i++) await query(path, input);
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await query(path, input);
        samples.push(performance.now() - t0);
      }
      const { median, p95 } = stats(samples);
      report(label, `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
      return median;
    };

    const medians: number[] = [];
    const procedures = ["overview", "revenue", "funnel", "latency", "offers", "topPayers"];
    for (const since of ["24h", "7d", "30d"]) {
      for (const procedure of procedures) {
        medians.push(await time(`analytics.${procedure} since ${since}`, `analytics.${procedure}`, { since }));
      }
      medians.push(
        await time(`analytics.overview since ${since}, one offer`, "analytics.overview", {
          since,
          offer: seedOffer(7),
        }),
      );
    }
    const somePayer = seedPayer(4242);
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString();
    const filters: [string, Record<string, unknown>][] = [
      ["no filter", {}],
      ["offer", { offer: seedOffer(7) }],
      ["state settle_failed", { state: "settle_failed" }],
      ["chain base-sepolia", { chain: "base-sepolia" }],
      ["payer", { payer: somePayer }],
      ["time range (one day, 30 days ago)", { from: day(31), to: day(30) }],
      [
        "offer + state + chain + time range (matches nothing)",
        { offer: seedOffer(7), state: "settled", chain: "base", from: day(60) },
      ],
      ["payer + chain (matches nothing)", { payer: somePayer, chain: "base" }],
      ["offer + chain (matches nothing)", { offer: seedOffer(7), chain: "base" }],
      ["state + chain (matches nothing)", { state: "settle_failed", chain: "local" }],
    ];
    for (const [label, filter] of filters) {
      medians.push(await time(`payments.list page 1 (50), ${label}`, "payments.list", { ...filter, limit: 50 }));
      const first = (await query("payments.list", { ...filter, limit: 50 })).result.data as {
        nextCursor: string | null;
      };
      if (first.nextCursor) {
        medians.push(
          await time(`payments.list page 2, ${label}`, "payments.list", {
            ...filter,
            limit: 50,
            cursor: first.nextCursor,
          }),
        );
      }
    }

    // CSV export of every row: streamed; the server's RSS is sampled while it runs.
    const rssBefore = rssMiB(serverPid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMiB(serverPid));
    }, 100);
    const csvStart = performance.now();
    const csv = await fetch(`${origin}/admin/api/payments.csv`, { headers: auth });
    let bytes = 0;
    let rows = 0;
    const reader = csv.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const b of value) if (b === 10) rows++;
    }
    clearInterval(sampler);
    report(
      `CSV export of every payment (${rows - 1} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
      `${((performance.now() - csvStart) / 1000).toFixed(1)} s, server RSS ${rssBefore.toFixed(0)} → peak ${rssPeak.toFixed(0)} MiB (+${(rssPeak - rssBefore).toFixed(0)} MiB)`,
    );

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const context = await browser.newContext({ baseURL: origin });
    await context.request.post("/trpc/auth.setupPassword", {
      data: { ownerToken: token, password: "benchmark passphrase" },
    });
    const page = await context.newPage();
    const chart = page.locator('[data-testid="revenue-chart"] svg rect').first();
    await page.goto("/admin");
    await chart.waitFor();
    const chartTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await page.goto("/admin");
      await chart.waitFor();
      chartTimes.push(performance.now() - t0);
    }
    await browser.close();
    const chartStats = stats(chartTimes);
    report(
      "admin overview: navigation to revenue chart (Chromium)",
      `median ${chartStats.median.toFixed(0)} ms, p95 ${chartStats.p95.toFixed(0)} ms (5 loads)`,
    );
    report(
      "slowest query median (target ≤ 50 ms)",
      `${Math.max(...medians).toFixed(1)} ms over ${medians.length} queries`,
    );
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server?.once("exit", r));
    }
    await database.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
