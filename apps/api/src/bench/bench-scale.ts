// `pnpm bench:scale [--offers N]` (issue 10): a real `tollgate serve` (embedded PostgreSQL, devnet, web app)
// with N offers created through the tRPC API (concurrency 8) against upstreams on loopback — half on one
// shared upstream, half spread over 50 more — then the figures a seller at that scale notices: creation
// rate, time until all are Ready and listed, the idle server's CPU and RSS, the catalog and the storefront
// home, and a restart. Progress on stderr, the figures on stdout.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, get as httpGet, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "../cli/api-client.ts";
import { type ServeProcess, startServeProcess, stopServeProcesses } from "../testing/serve-process.ts";

const log = (message: string) =>
  process.stderr.write(`[bench:scale] ${new Date().toISOString().slice(11, 19)} ${message}\n`);

function parseOffers(argv: string[]): number {
  const at = argv.indexOf("--offers");
  const raw = at >= 0 ? argv[at + 1] : (argv.find((a) => a.startsWith("--offers="))?.split("=")[1] ?? "1000");
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    process.stderr.write(`--offers must be an integer from 1 to 100000 (got ${raw})\n`);
    process.exit(2);
  }
  return n;
}

const offerCount = parseOffers(process.argv.slice(2));
const CONCURRENCY = 8;
const DISTINCT_UPSTREAMS = 50;
const IDLE_SETTLE_MS = 60_000;
const IDLE_WINDOW_MS = 30_000;
const IDLE_SLICE_MS = 5_000;
const prefix = "bench";
const nameOf = (i: number) => `${prefix}-${i}`;

/** A loopback upstream: `/health` and everything else answer 200 JSON. */
async function startUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** CPU seconds (user + system) of a process from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.replace(/\D+/g, "") ?? 0) / 1024;
}

async function timed(url: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return {
    ms: performance.now() - started,
    status: res.status,
    bytes: body.length,
    wire: Number(res.headers.get("content-length") ?? body.length),
    encoding: res.headers.get("content-encoding") ?? "identity",
    body,
  };
}

/**
 * A GET timed until its last byte arrived, the body left as sent (no decoding): the server's latency for a
 * compressed document, without the time this client would spend inflating it.
 */
function timedWire(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ ms: number; status: number; wire: number; encoding: string }>((resolve, reject) => {
    const started = performance.now();
    httpGet(url, { headers }, (res) => {
      let wire = 0;
      res.on("data", (chunk: Buffer) => {
        wire += chunk.length;
      });
      res.on("end", () =>
        resolve({
          ms: performance.now() - started,
          status: res.statusCode ?? 0,
          wire,
          encoding: String(res.headers["content-encoding"] ?? "identity"),
        }),
      );
      res.on("error", reject);
    }).on("error", reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function listedCount(url: string): Promise<number> {
  const res = await fetch(`${url}/api/services.json`);
  if (res.status !== 200) return -1;
  const doc = (await res.json()) as { services: { name: string }[] };
  return doc.services.filter((s) => s.name.startsWith(`${prefix}-`)).length;
}

/** Status of a GET over a keep-alive agent (lighter than fetch: the sweep measures the server, not the client). */
function statusOf(url: string, agent: Agent): Promise<number | null> {
  return new Promise((resolve) => {
    const req = httpGet(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? null));
      res.on("error", () => resolve(null));
    });
    req.on("error", () => resolve(null));
  });
}

/** Checks every offer answers 402 (concurrency 32); returns when each did, in ms after `since`. */
async function sweep402(
  url: string,
  since: number,
  deadlineMs: number,
): Promise<{ lastMs: number; missing: number; firstTry: number; requests: number }> {
  const pending = new Set(Array.from({ length: offerCount }, (_, i) => i));
  let lastMs = 0;
  let requests = 0;
  let firstTry = -1;
  const stopAt = Date.now() + deadlineMs;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  while (pending.size > 0 && Date.now() < stopAt) {
    const list = [...pending];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < list.length) {
          const i = list[next++] as number;
          const status = await statusOf(`${url}/services/${nameOf(i)}/`, agent);
          requests += 1;
          if (status === 402) {
            pending.delete(i);
            lastMs = Math.max(lastMs, Date.now() - since);
          }
        }
      }),
    );
    if (firstTry < 0) firstTry = offerCount - pending.size;
  }
  agent.destroy();
  return { lastMs, missing: pending.size, firstTry, requests };
}

const figures: [string, string][] = [];
const record = (name: string, value: string) => {
  figures.push([name, value]);
  log(`${name}: ${value}`);
};

const home = mkdtempSync(join(tmpdir(), "tollgate-bench-scale-"));
const upstreams: Server[] = [];
const servers: ServeProcess[] = [];
const env = { TOLLGATE_DEVNET: "on", TOLLGATE_WEB: "on", TOLLGATE_LOG_LEVEL: "warn" };

try {
  log(`${offerCount} offers; data home ${home}`);
  const shared = await startUpstream();
  upstreams.push(shared.server);
  const distinct: string[] = [];
  for (let i = 0; i < DISTINCT_UPSTREAMS; i += 1) {
    const u = await startUpstream();
    upstreams.push(u.server);
    distinct.push(u.url);
  }
  let server = await startServeProcess({ home, env, timeoutMs: 180_000 });
  servers.push(server);
  const api = createApiClient({ url: server.url, tokenFile: join(home, "admin-token") });
  log(`server ready at ${server.url} (pid ${server.child.pid})`);

  // 1. Create N offers through tRPC, 8 at a time.
  let next = 0;
  const stamps: number[] = [];
  const createStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < offerCount) {
        const i = next++;
        const upstream = i % 2 === 0 ? shared.url : (distinct[i % DISTINCT_UPSTREAMS] as string);
        await api.offers.create.mutate({
          name: nameOf(i),
          upstream: `${upstream}/v${i % 3}`,
          description: `Benchmark service ${i}: ${i % 2 === 0 ? "weather" : "translation"} data`,
          payment: { price: `0.${String((i % 999) + 1).padStart(3, "0")}` },
          registration: { enabled: false },
        });
        stamps.push(performance.now());
        if (stamps.length % 1000 === 0) log(`created ${stamps.length}`);
      }
    }),
  );
  const createMs = performance.now() - createStarted;
  const lastCreate = performance.now();
  const tailFrom = Math.floor(offerCount * 0.9);
  const tailMs = (stamps[offerCount - 1] ?? 0) - (stamps[tailFrom - 1] ?? createStarted);
  record(
    "creation rate (all)",
    `${((offerCount / createMs) * 1000).toFixed(0)} offers/s (${(createMs / 1000).toFixed(1)} s)`,
  );
  record("creation rate (last 10%)", `${(((offerCount - tailFrom) / Math.max(tailMs, 1)) * 1000).toFixed(0)} offers/s`);

  // 2. Until every offer is Ready and listed in the catalog.
  while ((await listedCount(server.url)) < offerCount) await new Promise((r) => setTimeout(r, 250));
  record("all Ready and listed after the last create", `${((performance.now() - lastCreate) / 1000).toFixed(1)} s`);
  const readyCount = (await api.offers.list.query({})).filter(
    (o) => o.name.startsWith(`${prefix}-`) && o.conditions.find((c) => c.type === "Ready")?.status === "True",
  ).length;
  record("offers with Ready=True", `${readyCount} of ${offerCount}`);

  // 3. The idle server, in 5 s slices for 90 s after every offer is Ready. The first minute carries V8's
  // collection of the creation burst's garbage (major GCs of a ~400 MB heap, on helper threads too: seen
  // in a --cpu-prof profile as "(garbage collector)" where the slices spike); the last 30 s are the idle
  // steady state, what a seller's box pays for 10,000 quiet offers.
  const pid = server.child.pid as number;
  const idleFrom = cpuSeconds(pid);
  const slices: number[] = [];
  for (let at = 0, last = idleFrom; at < IDLE_SETTLE_MS + IDLE_WINDOW_MS; at += IDLE_SLICE_MS) {
    await new Promise((r) => setTimeout(r, IDLE_SLICE_MS));
    const now = cpuSeconds(pid);
    slices.push(((now - last) / (IDLE_SLICE_MS / 1000)) * 100);
    last = now;
  }
  log(`idle CPU per ${IDLE_SLICE_MS / 1000} s slice (% of one core): ${slices.map((v) => v.toFixed(1)).join(" ")}`);
  const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  const settleSlices = IDLE_SETTLE_MS / IDLE_SLICE_MS;
  record(
    `idle CPU, steady (${IDLE_SETTLE_MS / 1000}–${(IDLE_SETTLE_MS + IDLE_WINDOW_MS) / 1000} s after Ready)`,
    `${meanOf(slices.slice(settleSlices)).toFixed(1)} % of one core`,
  );
  record(
    `idle CPU, first ${IDLE_SETTLE_MS / 1000} s after Ready (post-burst GC)`,
    `${meanOf(slices.slice(0, settleSlices)).toFixed(1)} % of one core`,
  );
  record("idle RSS (server process)", `${rssMiB(pid).toFixed(0)} MiB`);

  // 4. The catalog: cold (first request after a change) and warm.
  await api.offers.update.mutate({ name: nameOf(0), description: "changed to make the catalog rebuild" });
  const cold = await timedWire(`${server.url}/api/services.json`, { "accept-encoding": "br, gzip" });
  const warm: number[] = [];
  let warmDoc = cold;
  for (let i = 0; i < 20; i += 1) {
    warmDoc = await timedWire(`${server.url}/api/services.json`, { "accept-encoding": "br, gzip" });
    warm.push(warmDoc.ms);
  }
  const gzipWarm: number[] = [];
  let gzipDoc = cold;
  for (let i = 0; i < 20; i += 1) {
    gzipDoc = await timedWire(`${server.url}/api/services.json`, { "accept-encoding": "gzip" });
    gzipWarm.push(gzipDoc.ms);
  }
  const plain = await timedWire(`${server.url}/api/services.json`);
  record(
    "services.json cold (first after a change)",
    `${cold.ms.toFixed(1)} ms (${cold.encoding}, ${(cold.wire / 1024).toFixed(0)} KiB)`,
  );
  record(
    "services.json warm (median of 20)",
    `${median(warm).toFixed(1)} ms (${warmDoc.encoding}); gzip only: ${median(gzipWarm).toFixed(1)} ms`,
  );
  record(
    "services.json size",
    `${(plain.wire / 1024).toFixed(0)} KiB (${warmDoc.encoding}: ${(warmDoc.wire / 1024).toFixed(0)} KiB, gzip: ${(gzipDoc.wire / 1024).toFixed(0)} KiB on the wire)`,
  );

  // 5. The storefront home.
  const homes: Awaited<ReturnType<typeof timed>>[] = [];
  for (let i = 0; i < 6; i += 1) homes.push(await timed(`${server.url}/`, { accept: "text/html" }));
  record(
    "storefront home size",
    `${(homes[0]?.bytes ?? 0) / 1024 > 0 ? ((homes[0]?.bytes ?? 0) / 1024).toFixed(0) : "0"} KiB (HTTP ${homes[0]?.status})`,
  );
  record(
    "storefront home latency (median of 5 after the first)",
    `${median(homes.slice(1).map((h) => h.ms)).toFixed(0)} ms`,
  );

  // 6. Restart: to /readyz, then until every offer answers 402.
  await stopServeProcesses([server]);
  const restartStarted = Date.now();
  server = await startServeProcess({ home, env, timeoutMs: 180_000 });
  servers.push(server);
  const readyAt = Date.now();
  record("restart to /readyz", `${((readyAt - restartStarted) / 1000).toFixed(1)} s`);
  const coldAfterRestart = await timedWire(`${server.url}/api/services.json`, { "accept-encoding": "br, gzip" });
  record("services.json first request after the restart", `${coldAfterRestart.ms.toFixed(1)} ms`);
  const swept = await sweep402(server.url, readyAt, 120_000);
  record(
    "from /readyz until every offer answered 402",
    `${(swept.lastMs / 1000).toFixed(2)} s${swept.missing ? ` (${swept.missing} never did)` : ""}`,
  );
  // Whether the route table was complete at /readyz (every offer 402 on its first request), and the
  // request rate the sweep itself reached (client and server share the box).
  record(
    "offers that answered 402 on their first request",
    `${swept.firstTry} of ${offerCount} (${swept.requests} requests, ${((swept.requests / Math.max(swept.lastMs, 1)) * 1000).toFixed(0)}/s)`,
  );

  process.stdout.write(
    `\nbench:scale with ${offerCount} offers (${CONCURRENCY} concurrent creates, 1 + ${DISTINCT_UPSTREAMS} upstreams)\n`,
  );
  const width = Math.max(...figures.map(([name]) => name.length));
  for (const [name, value] of figures) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
} finally {
  await stopServeProcesses(servers);
  for (const upstream of upstreams) upstream.close();
  rmSync(home, { recursive: true, force: true });
}
