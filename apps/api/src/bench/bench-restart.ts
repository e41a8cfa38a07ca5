// `pnpm bench:restart [--offers N] [--timeout S]` (SPEC §10): for a ledger of N active offers, how long a restart
// takes from process start to /readyz, and from /readyz until every offer answers 402 again. Seeds
// the offers through the API on a fresh home (embedded PostgreSQL, devnet), stops the server with
// SIGTERM, starts it again and times both stretches. Progress on stderr, figures on stdout.
import { cpus, loadavg } from "node:os";
import { makeTestHome, removeTestHome } from "@tollgate/db/testing/test-database";
import { createApiClient } from "../cli/api-client.ts";
import { homePaths } from "../home/data-home.ts";
import { type ServeProcess, startServeProcess, stopServeProcesses } from "../testing/serve-process.ts";
import { parseNumberFlag } from "./parse-number-flag.ts";
import { seedOffers, startBenchUpstream, waitForEveryStatus } from "./seed-offers.ts";

const log = (message: string) => process.stderr.write(`[bench:restart] ${message}\n`);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** For offers that never answered 402: the statuses they gave, and a few offers' conditions. */
async function describeMissing(url: string, home: string, missing: Map<string, number>): Promise<string[]> {
  if (missing.size === 0) return [];
  const byStatus = new Map<number, number>();
  for (const status of missing.values()) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const lines = [
    `  last statuses of those offers: ${[...byStatus].map(([s, n]) => `${s || "no answer"} ×${n}`).join(", ")}`,
  ];
  const client = createApiClient({ url, tokenFile: homePaths(home).adminToken });
  for (const target of [...missing.keys()].slice(0, 3)) {
    const name = target.split("/services/")[1]?.replace(/\/$/, "") ?? "";
    const offer = await client.offers.show.query({ name }).catch(() => null);
    const conditions = (offer?.conditions ?? []).map(
      (c) => `${c.type}=${c.status}${c.status === "True" ? "" : `(${c.reason})`}`,
    );
    lines.push(`  ${name}: ${conditions.join(" ") || "(no conditions)"}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const count = parseNumberFlag(argv, "--offers", 200, 100_000);
  const timeoutSeconds = parseNumberFlag(argv, "--timeout", 600, 3_600);
  const home = makeTestHome();
  const upstream = await startBenchUpstream();
  const env = { TOLLGATE_DEVNET: "on", TOLLGATE_LOG_LEVEL: "warn" };
  const servers: ServeProcess[] = [];
  try {
    log(`seeding ${count} offers on a fresh home (${home})`);
    const first = await startServeProcess({ home, env, timeoutMs: 180_000 });
    servers.push(first);
    const client = createApiClient({ url: first.url, tokenFile: homePaths(home).adminToken });
    const names = await seedOffers({
      client,
      count,
      upstreamUrl: upstream.url,
      onProgress: (n) => log(`${n} offers created`),
    }).catch((error) => {
      log(`seeding failed; the server's last output:\n${first.output().slice(-4000)}`);
      throw error;
    });
    const paths = names.map((name) => `/services/${name}/`);
    const seeded = await waitForEveryStatus(
      paths.map((p) => first.url + p),
      402,
      { timeoutMs: 600_000 },
    );
    if (seeded.missing.size > 0) throw new Error(`${seeded.missing.size} offers never answered 402 before the restart`);
    log(`every offer answers 402 (${seconds(seeded.ms)} after seeding); restarting (SIGTERM, then start)`);
    await stopServeProcesses([first]);

    const started = performance.now();
    const second = await startServeProcess({ home, env, waitReady: false });
    servers.push(second);
    while ((await fetch(`${second.url}/readyz`).catch(() => null))?.status !== 200) {
      if (second.child.exitCode !== null) throw new Error(`the server exited:\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const ready = performance.now();
    const serving = await waitForEveryStatus(
      paths.map((p) => second.url + p),
      402,
      { timeoutMs: timeoutSeconds * 1000 },
    );
    const notServing = await describeMissing(second.url, home, serving.missing);
    await stopServeProcesses([second]);
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    process.stdout.write(
      [
        `restart with ${count} active offers (${cpus().length} cores, load ${load})`,
        `  process start → /readyz:            ${seconds(ready - started)}`,
        serving.missing.size === 0
          ? `  /readyz → every offer answers 402:  ${seconds(serving.ms)}`
          : `  /readyz → every offer answers 402:  NOT REACHED: ${serving.missing.size} of ${count} offers still not answering 402 after ${timeoutSeconds} s`,
        `  total:                              ${seconds(ready - started + serving.ms)}`,
        ...notServing,
        "",
      ].join("\n"),
    );
  } finally {
    await stopServeProcesses(servers);
    await upstream.close();
    removeTestHome(home);
  }
}

await main();
