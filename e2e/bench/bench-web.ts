// `pnpm bench:web`: storefront home size and server response time with 100 offers; admin payments
// page load time with 100,000 payment rows. Runs `tollgate serve` (built web app, devnet on) against a
// scratch database seeded with SQL, in a scratch home; removes both at the end.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { createTestDatabase } from "@tollgate/db/testing/test-database";
import { inheritedEnv } from "./env.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const offerCount = 100;
const paymentCount = 100_000;

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
  return { median: at(0.5).toFixed(1), p95: at(0.95).toFixed(1), min: (sorted[0] ?? 0).toFixed(1) };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), "tollgate-bench-web-"));
  const database = await createTestDatabase();
  const upstream: Server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  try {
    server = spawn(process.execPath, [join(repoRoot, "apps/api/bin/tollgate.mjs"), "serve", "--port", String(port)], {
      env: { ...inheritedEnv, TOLLGATE_HOME: home, DATABASE_URL: database.url, TOLLGATE_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitFor(async () => (await fetch(`${origin}/readyz`)).ok, "the server");
    const token = readFileSync(join(home, "admin-token"), "utf8").trim();
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const call = async (path: string, input: unknown) => {
      const res = await fetch(`${origin}/trpc/${path}`, { method: "POST", headers: auth, body: JSON.stringify(input) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { result: { data: unknown } }).result.data;
    };

    process.stdout.write(`creating ${offerCount} offers…\n`);
    let firstOfferId = "";
    for (let i = 0; i < offerCount; i++) {
      const offer = (await call("offers.create", {
        name: `bench-${String(i).padStart(3, "0")}`,
        upstream: upstreamUrl,
        description: `Benchmark offer number ${i}: a plausible one-line description of what it sells.`,
        payment: { chain: "local", price: "0.001", unit: "request" },
      })) as { id: string };
      firstOfferId ||= offer.id;
    }
    await waitFor(async () => {
      const catalog = (await (await fetch(`${origin}/api/services.json`)).json()) as { services: unknown[] };
      return catalog.services.length >= offerCount;
    }, "every offer to be listed");

    // Storefront home: full HTML, timed to the last byte, after a warm-up.
    for (let i = 0; i < 3; i++) await (await fetch(`${origin}/`)).text();
    const homeTimes: number[] = [];
    let htmlBytes = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const html = await (await fetch(`${origin}/`)).text();
      homeTimes.push(performance.now() - t0);
      htmlBytes = Buffer.byteLength(html);
    }
    const home100 = stats(homeTimes);

    process.stdout.write(`seeding ${paymentCount} payment rows with SQL…\n`);
    const seedStart = performance.now();
    // One transaction: the per-row rollup trigger is bypassed (replica role) and the rollup is added once,
    // so the revenue report stays equal to the settled rows.
    await database.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
        await tx.$executeRawUnsafe(
          `INSERT INTO "Payment" ("id","offerId","offerGeneration","chain","network","testnet","asset","amount","payer","payTo","nonce","x402Version","requestMethod","requestPath","upstreamStatus","latencyMs","facilitator","txHash","state","createdAt","updatedAt","settledAt")
       SELECT gen_random_uuid()::text, $1, 1, 'local', 'eip155:31337', true, '0x0000000000000000000000000000000000000001', 1000,
              '0x' || lpad(to_hex(i % 97), 40, '0'), '0x0000000000000000000000000000000000000002', 'bench-' || i, 2, 'GET',
              '/services/bench-000', 200, 12, 'local', '0x' || lpad(to_hex(i), 64, '0'), 'settled'::"PaymentState",
              now() - (i || ' seconds')::interval * 25, now(), now() - (i || ' seconds')::interval * 25
       FROM generate_series(1, ${paymentCount}) AS i`,
          firstOfferId,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO "PaymentRevenue" ("chain","network","testnet","asset","payments","amount","updatedAt")
         SELECT 'local', 'eip155:31337', true, '0x0000000000000000000000000000000000000001', ${paymentCount}, ${paymentCount} * 1000, now()
         ON CONFLICT ("chain","network","testnet","asset") DO UPDATE
           SET "payments" = "PaymentRevenue"."payments" + EXCLUDED."payments", "amount" = "PaymentRevenue"."amount" + EXCLUDED."amount"`,
        );
      },
      { timeout: 300_000, maxWait: 10_000 },
    );
    const seedMs = performance.now() - seedStart;

    const listTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await (
        await fetch(`${origin}/trpc/payments.list?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`, {
          headers: auth,
        })
      ).text();
      listTimes.push(performance.now() - t0);
    }

    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    const context = await browser.newContext({ baseURL: origin });
    await context.request.post("/trpc/auth.setupPassword", {
      data: { ownerToken: token, password: "benchmark passphrase" },
    });
    const page = await context.newPage();
    await page.goto("/admin/payments");
    await page.getByTestId("payment-row").first().waitFor();
    const pageTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await page.goto("/admin/payments");
      await page.getByTestId("payment-row").first().waitFor();
      pageTimes.push(performance.now() - t0);
    }
    await browser.close();

    const pad = (s: string) => s.padEnd(58);
    process.stdout.write(
      [
        "",
        `${pad(`storefront home HTML size (${offerCount} offers)`)}${(htmlBytes / 1024).toFixed(1)} KiB`,
        `${pad(`storefront home response, full body (${offerCount} offers)`)}median ${home100.median} ms, p95 ${home100.p95} ms (20 requests)`,
        `${pad(`seed ${paymentCount} payment rows (one INSERT … SELECT)`)}${(seedMs / 1000).toFixed(1)} s`,
        `${pad(`payments.list first page (${paymentCount} rows)`)}median ${stats(listTimes).median} ms, p95 ${stats(listTimes).p95} ms`,
        `${pad(`admin payments page load to first row (${paymentCount} rows)`)}median ${stats(pageTimes).median} ms, p95 ${stats(pageTimes).p95} ms (5 loads)`,
        "",
      ].join("\n"),
    );
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server?.once("exit", r));
    }
    upstream.close();
    await database.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
