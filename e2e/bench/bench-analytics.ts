// `pnpm bench:analytics [--payments 1000000]`: seeds N payments over 90 days, 50 offers and 5,000 payers
// straight into a scratch ledger (one INSERT … SELECT generate_series, the per-row triggers bypassed, then
// the rollups rebuilt in one pass), starts `tollgate serve` on it, and prints the median and p95 of every
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

const payer = (i: number) => `0x${i.toString(16).padStart(40, "0")}`;

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
    // Stopped offers: their history is what the analytics read; the reconciler has nothing to publish.
    await database.db.$executeRawUnsafe(
      `INSERT INTO "Offer" ("id","name","liveName","type","upstreamUrl","path","chain","asset","payTo","priceAmount","state","updatedAt")
       SELECT '00000000-0000-4000-8000-' || lpad(i::text, 12, '0'), 'bench-' || lpad(i::text, 2, '0'), 'bench-' || lpad(i::text, 2, '0'),
              'http', 'http://127.0.0.1:9', '/services/bench-' || lpad(i::text, 2, '0'), 'base',
              '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', '0x0000000000000000000000000000000000000002', '0.01', 'stopped', now()
         FROM generate_series(0, ${offerCount - 1}) AS i`,
    );

    process.stdout.write(
      `seeding ${paymentCount} payments over ${days} days (${offerCount} offers, ${payerCount} payers)…\n`,
    );
    const seedStart = performance.now();
    await database.db.$transaction(
      async (tx) => {
        // Bulk load: the per-row triggers are off for this transaction; the rollups are rebuilt below.
        await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
        // 70% base, 20% base-sepolia, 10% local; 88% settled, the rest upstream_failed / settle_failed / abandoned.
        await tx.$executeRawUnsafe(
          `INSERT INTO "Payment" ("id","offerId","offerGeneration","chain","network","testnet","asset","amount","payer","payTo","nonce",
                                  "x402Version","requestMethod","requestPath","upstreamStatus","latencyMs","facilitator","txHash",
                                  "state","reason","createdAt","updatedAt","settledAt")
           SELECT md5(i::text)::uuid::text,
                  '00000000-0000-4000-8000-' || lpad((i % ${offerCount})::text, 12, '0'), 1,
                  c.chain, c.network, c.testnet, c.asset,
                  1000 * (1 + (i % 7)), '0x' || lpad(to_hex((i::int8 * 7919) % ${payerCount}), 40, '0'),
                  '0x0000000000000000000000000000000000000002', 'n' || i, 2, 'GET', '/services/bench/', 200,
                  40 + (i * 37) % 900, 'local', '0x' || lpad(to_hex(i), 64, '0'),
                  s.state::"PaymentState", s.reason, t.at, t.at,
                  CASE WHEN s.state = 'settled' THEN t.at + ((50 + (i * 13) % 2000) || ' milliseconds')::interval END
             FROM generate_series(1, ${paymentCount}) AS i
             CROSS JOIN LATERAL (SELECT now() - ((i::float8 / ${paymentCount}) * ${days} * 86400 || ' seconds')::interval AS at) t
             CROSS JOIN LATERAL (SELECT CASE WHEN i % 10 < 7 THEN 'base' WHEN i % 10 < 9 THEN 'base-sepolia' ELSE 'local' END AS chain) k
             CROSS JOIN LATERAL (SELECT k.chain,
                    CASE k.chain WHEN 'base' THEN 'eip155:8453' WHEN 'base-sepolia' THEN 'eip155:84532' ELSE 'eip155:31337' END AS network,
                    k.chain <> 'base' AS testnet,
                    CASE k.chain WHEN 'base' THEN '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'
                                 WHEN 'base-sepolia' THEN '0x036CbD53842c5426634e7929541eC2318f3dCF7e'
                                 ELSE '0x5FbDB2315678afecb367f032d93F642f64180aa3' END AS asset) c
             CROSS JOIN LATERAL (SELECT CASE WHEN i % 100 < 88 THEN 'settled' WHEN i % 100 < 94 THEN 'upstream_failed'
                                             WHEN i % 100 < 98 THEN 'settle_failed' ELSE 'abandoned' END AS state,
                                        CASE WHEN i % 100 < 88 THEN NULL WHEN i % 100 < 94 THEN 'upstream_error'
                                             WHEN i % 100 < 98 THEN 'settlement_failed' ELSE NULL END AS reason) s`,
        );
      },
      { timeout: 600_000, maxWait: 10_000 },
    );
    const insertMs = performance.now() - seedStart;
    // The rollups from the rows in one pass, then the gateway counters' share: challenges and refusals.
    await database.db.$executeRawUnsafe(`SELECT "analytics_rebuild"()`);
    await database.db.$executeRawUnsafe(`DELETE FROM "PaymentRevenue"`);
    await database.db.$executeRawUnsafe(
      `INSERT INTO "PaymentRevenue" ("chain","network","testnet","asset","payments","amount")
       SELECT "chain","network","testnet","asset", COUNT(*)::int, SUM("amount") FROM "Payment"
        WHERE "state" = 'settled' GROUP BY 1, 2, 3, 4`,
    );
    await database.db.$executeRawUnsafe(
      `UPDATE "AnalyticsHourly" SET "challenges" = "verified" * 3 + 1, "refused" = "verified" / 20`,
    );
    await database.db.$executeRawUnsafe(
      `INSERT INTO "AnalyticsFailureHourly" ("offerId","chain","hour","stage","reason","count")
       SELECT "offerId", "chain", "hour", 'refused', 'invalid_exact_evm_payload_signature', "refused"
         FROM "AnalyticsHourly" WHERE "refused" > 0`,
    );
    await database.db.$executeRawUnsafe(`ANALYZE`);
    const seedMs = performance.now() - seedStart;
    report(`seed ${paymentCount} payments (INSERT … SELECT generate_series)`, `${(insertMs / 1000).toFixed(1)} s`);
    report("seed total with rollup rebuild and ANALYZE", `${(seedMs / 1000).toFixed(1)} s`);

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
        await time(`analytics.overview since ${since}, one offer`, "analytics.overview", { since, offer: "bench-07" }),
      );
    }
    const somePayer = payer(4242);
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString();
    const filters: [string, Record<string, unknown>][] = [
      ["no filter", {}],
      ["offer", { offer: "bench-07" }],
      ["state settle_failed", { state: "settle_failed" }],
      ["chain base-sepolia", { chain: "base-sepolia" }],
      ["payer", { payer: somePayer }],
      ["time range (one day, 30 days ago)", { from: day(31), to: day(30) }],
      ["offer + state + chain + time range", { offer: "bench-07", state: "settled", chain: "base", from: day(60) }],
      ["payer + chain", { payer: somePayer, chain: "base" }],
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
