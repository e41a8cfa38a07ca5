// `pnpm bench:replicas [--replicas 3] [--requests 600] [--concurrency 32]`: N `tollgate serve` processes on one
// PostgreSQL (DATABASE_URL's server, else a throwaway Debian PostgreSQL) behind a small round-robin balancer
// with retry on connection errors (SPEC §15). Prints paid throughput and p50/p99 through the balancer, the
// time a new offer takes to answer 402 on every replica, and how long leadership takes to move after a
// kill -9 of the leader in the middle of paid load (with what happened to that load's payments).
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createTestDatabase, makeTestHome, removeTestHome } from "@tollgate/db/testing/test-database";
import { type Address, parseAbiItem } from "viem";
import { endOrphanAnvil } from "../chain/anvil-process.ts";
import { devnetPaths } from "../chain/start-devnet.ts";
import {
  adminClient,
  chainReader,
  createBuyer,
  type DevnetView,
  routeStatus,
  startHoldingUpstream,
  waitFor,
} from "../recovery/testing/recovery-box.ts";
import { testingEnv } from "../testing/env.ts";
import { readReadyz } from "../testing/replica-set.ts";
import { runConcurrent, startRoundRobinBalancer } from "../testing/round-robin-balancer.ts";
import { type ServeProcess, startServeProcess, stopServeProcesses } from "../testing/serve-process.ts";
import { quantile } from "./load-generator.ts";
import { parseNumberFlag } from "./parse-number-flag.ts";
import { startDebianPostgres } from "./start-debian-postgres.ts";

const say = (message: string) => process.stderr.write(`[bench:replicas] ${message}\n`);
const argv = process.argv.slice(2);
const replicaCount = parseNumberFlag(argv, "--replicas", 3, 16);
const requests = parseNumberFlag(argv, "--requests", 600, 100_000);
const concurrency = parseNumberFlag(argv, "--concurrency", 32, 1_000);
const ms = (value: number) => `${value.toFixed(0)} ms`;

type Replica = ServeProcess & { id: string; home: string };

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (testingEnv.databaseUrl) {
    // A fresh database on that server, dropped at the end.
    const database = await createTestDatabase();
    return { url: database.url, drop: () => database.close() };
  }
  const debian = await startDebianPostgres();
  return { url: debian.url, drop: async () => debian.stop() };
}

/**
 * The buyer's EIP-3009 authorizations used on chain (`AuthorizationUsed` events of the devnet USDC) against the
 * settled rows: how many were used, how many authorizations were settled more than once (two settled rows, or
 * two uses on chain), and how many settled rows have no use of their authorization in their transaction.
 */
async function authorizationsOnChain(
  devnet: DevnetView,
  buyer: string,
  rows: { nonce: string; txHash: string | null }[],
) {
  const { chain } = chainReader(devnet);
  const logs = await chain.getLogs({
    address: devnet.usdc as Address,
    event: parseAbiItem("event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)"),
    args: { authorizer: buyer as Address },
    fromBlock: 0n,
  });
  const used = new Map<string, string[]>();
  for (const log of logs) {
    const nonce = (log.args.nonce ?? "").toLowerCase();
    used.set(nonce, [...(used.get(nonce) ?? []), log.transactionHash.toLowerCase()]);
  }
  const perNonce = new Map<string, number>();
  for (const row of rows) perNonce.set(row.nonce.toLowerCase(), (perNonce.get(row.nonce.toLowerCase()) ?? 0) + 1);
  const settledTwice = [...new Set([...perNonce.keys(), ...used.keys()])].filter(
    (nonce) => (perNonce.get(nonce) ?? 0) > 1 || (used.get(nonce)?.length ?? 0) > 1,
  ).length;
  const missing = rows.filter((row) => !used.get(row.nonce.toLowerCase())?.includes(row.txHash?.toLowerCase() ?? ""));
  return { events: logs.length, settledTwice, missing: missing.length };
}

/** The lines of a replica's log that tell what went wrong (the last 40). */
function errorLines(output: string): string {
  const lines = output.split("\n").filter((line) => /nonce too low|\b50[0-9]\b|error|warn/i.test(line));
  return lines.slice(-40).join("\n");
}

async function main(): Promise<void> {
  const database = await createDatabase();
  const homes: string[] = [];
  const replicas: Replica[] = [];
  const upstream = await startHoldingUpstream();
  const keyHome = makeTestHome();
  homes.push(keyHome);
  const keyFile = join(keyHome, "master.key");
  writeFileSync(keyFile, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  const start = async (id: string, extra: Record<string, string> = {}) => {
    const home = makeTestHome();
    homes.push(home);
    const env = { DATABASE_URL: database.url, TOLLGATE_REPLICA_ID: id, TOLLGATE_MASTER_KEY_FILE: keyFile, ...extra };
    const replica = { ...(await startServeProcess({ home, env, timeoutMs: 180_000 })), id, home };
    replicas.push(replica);
    return replica;
  };
  try {
    say(`starting ${replicaCount} replicas on ${testingEnv.databaseUrl ? "DATABASE_URL" : "Debian PostgreSQL"}`);
    const leader = await start("r1", { TOLLGATE_DEVNET: "on" });
    await Promise.all(Array.from({ length: replicaCount - 1 }, (_, i) => start(`r${i + 2}`)));
    const api = adminClient(leader.home, leader.url);
    const devnet = (await api.devnet.info.query()) as DevnetView;
    const buyer = createBuyer(devnet);
    await api.offers.create.mutate({
      name: "bench",
      upstream: upstream.url,
      payment: { price: "0.001" },
      registration: { enabled: false },
    } as never);
    for (const r of replicas)
      await waitFor(
        `402 on ${r.id}`,
        () => routeStatus(r.url, "bench"),
        (s) => s === 402,
      );
    const balancer = await startRoundRobinBalancer(replicas.map((r) => r.url));
    const settledRows = async (offer: string) => {
      const rows: { nonce: string; txHash: string | null }[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.payments.list.query({
          offer,
          state: "settled",
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        rows.push(...page.payments);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return rows;
    };

    // 1. Paid throughput through the balancer.
    say(`${requests} paid requests at c=${concurrency}`);
    const started = performance.now();
    const results = await runConcurrent(requests, concurrency, async () => {
      const res = await buyer.payFetch(`${balancer.url}/services/bench/`);
      await res.arrayBuffer();
      return res.status;
    });
    const seconds = (performance.now() - started) / 1000;
    const ok = results.filter((r) => r.status === 200).length;
    const latencies = results.map((r) => r.ms).sort((x, y) => x - y);
    const statuses = new Map<number, number>();
    for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const statusList = [...statuses].map(([status, n]) => `${n} × ${status || "error"}`).join(", ");
    const rows = await waitFor(
      "every payment settled",
      () => settledRows("bench"),
      (list) => list.length >= ok,
      120_000,
    ).catch(() => null);
    const settled = rows?.length ?? -1;
    const onChain = rows ? await authorizationsOnChain(devnet, buyer.address, rows) : null;
    const nonceTooLow = replicas.filter((r) => /nonce too low/i.test(r.output())).map((r) => r.id);
    const paidOk =
      ok === requests &&
      settled === requests &&
      onChain?.settledTwice === 0 &&
      onChain.missing === 0 &&
      onChain.events === requests &&
      nonceTooLow.length === 0;

    // 2. Convergence: an offer created through a follower answers 402 on every replica.
    const creator = replicas[1] ?? leader;
    const creatorApi = adminClient(creator.home, creator.url);
    const convergence: number[] = [];
    for (let i = 0; i < 5; i++) {
      const name = `conv-${i}`;
      await creatorApi.offers.create.mutate({
        name,
        upstream: upstream.url,
        payment: { price: "0.001" },
        registration: { enabled: false },
      } as never);
      const t0 = performance.now();
      const pending = new Set(replicas);
      while (pending.size > 0 && performance.now() - t0 < 30_000) {
        for (const r of [...pending]) if ((await routeStatus(r.url, name)) === 402) pending.delete(r);
        if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      convergence.push(pending.size === 0 ? performance.now() - t0 : Number.NaN);
    }

    // 3. kill -9 of the leader in the middle of paid load: leadership moves; the load's payments resolve.
    const failoverRequests = Math.min(requests, 200);
    say(`kill -9 of the leader after ${Math.floor(failoverRequests / 4)} of ${failoverRequests} paid requests`);
    await api.offers.create.mutate({
      name: "failover",
      upstream: upstream.url,
      payment: { price: "0.001" },
      registration: { enabled: false },
    } as never);
    for (const r of replicas)
      await waitFor(
        `402 on ${r.id}`,
        () => routeStatus(r.url, "failover"),
        (s) => s === 402,
      );
    const survivors = replicas.filter((r) => r !== leader);
    /** Polls the survivors' /readyz until one leads; resolves with when and who. */
    const watchLeadership = async (killedAt: number) => {
      while (performance.now() - killedAt < 60_000) {
        const views = await Promise.all(survivors.map((r) => readReadyz(r.url)));
        const leading = views.find((v) => v?.role === "leader");
        if (leading) return { after: performance.now() - killedAt, who: leading.replica ?? "" };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { after: Number.NaN, who: "" };
    };
    let moved: ReturnType<typeof watchLeadership> | null = null;
    const failoverResults = await runConcurrent(failoverRequests, concurrency, async (index) => {
      if (index === Math.floor(failoverRequests / 4)) {
        leader.child.kill("SIGKILL");
        moved = watchLeadership(performance.now());
      }
      const res = await buyer.payFetch(`${balancer.url}/services/failover/`);
      await res.arrayBuffer();
      return res.status;
    });
    const leadership = await (moved ?? Promise.resolve({ after: Number.NaN, who: "" }));
    const survivorApi = adminClient(survivors[0]?.home ?? "", survivors[0]?.url ?? "");
    const failoverOk = failoverResults.filter((r) => r.status === 200).length;
    const resolved = await waitFor(
      "no row left verified/delivered/settlement_pending",
      async () => (await survivorApi.payments.list.query({ offer: "failover", limit: 500 })).payments,
      (rows) => rows.every((p) => !["verified", "delivered", "settlement_pending"].includes(p.state)),
      60_000,
    ).catch(() => null);
    const failoverSettled = resolved?.filter((p) => p.state === "settled").length ?? -1;
    await balancer.close();

    const load = loadavg().map((n) => n.toFixed(1));
    const valid = convergence.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
    process.stdout.write(
      [
        `bench:replicas: ${replicaCount} replicas, one PostgreSQL, round-robin balancer (${cpus().length} cores, load ${load.join(" ")})`,
        `  paid requests          ${ok}/${requests} × 200 at c=${concurrency} in ${seconds.toFixed(1)} s: ${(ok / seconds).toFixed(1)} paid/s (${statusList})`,
        `  latency (balancer)     p50 ${ms(quantile(latencies, 0.5))}  p99 ${ms(quantile(latencies, 0.99))}`,
        `  settled rows           ${settled} (of ${ok} answered 200); on chain ${onChain?.events ?? "?"} authorizations used by the buyer, settled twice ${onChain?.settledTwice ?? "?"}, settled row not on chain ${onChain?.missing ?? "?"}; replicas logging "nonce too low": ${nonceTooLow.join(", ") || "none"}`,
        `  acceptance 2           ${paidOk ? "PASS" : "FAIL"}: ${requests} × 200, ${requests} settled rows, each authorization used once on chain, no "nonce too low"`,
        `  new offer → 402 on all ${valid.length}/5 converged; median ${ms(quantile(valid, 0.5))}, max ${ms(valid[valid.length - 1] ?? Number.NaN)}`,
        `  leader failover        kill -9 of r1 → ${leadership.who || "nobody"} leads after ${ms(leadership.after)}`,
        `  load during failover   ${failoverOk}/${failoverRequests} × 200; after recovery ${failoverSettled} settled, none unresolved: ${resolved ? "yes" : "NO"}; balancer retries ${balancer.retries()}`,
        "",
      ].join("\n"),
    );
    if (!paidOk) {
      for (const r of replicas.filter((x) => /nonce too low|\b502\b|error/i.test(x.output()))) {
        say(`${r.id}'s log (errors):\n${errorLines(r.output())}`);
      }
      process.exitCode = 1;
    }
  } finally {
    await stopServeProcesses(replicas);
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    for (const home of homes) await endOrphanAnvil({ ...devnetPaths(home), logger: quiet, graceMs: 2_000 });
    await upstream.close();
    await database.drop().catch(() => {});
    for (const home of homes) removeTestHome(home);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:replicas failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
