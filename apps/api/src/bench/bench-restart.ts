// `pnpm bench:restart [--offers N]` (SPEC §10): for a ledger of N active offers, how long a restart
// takes from process start to /readyz, and from /readyz until every offer answers 402 again. Seeds
// the offers through the API on a fresh home (embedded PostgreSQL, devnet), stops the server with
// SIGTERM, starts it again and times both stretches. Progress on stderr, figures on stdout.
import { cpus, loadavg } from "node:os";
import { makeTestHome, removeTestHome } from "@tollgate/db/testing/test-database";
import { createApiClient } from "../cli/api-client.ts";
import { homePaths } from "../server/data-home.ts";
import { startServeProcess, stopServeProcesses } from "../testing/serve-process.ts";
import { seedOffers, startBenchUpstream, waitForEveryStatus } from "./seed-offers.ts";

const log = (message: string) => process.stderr.write(`[bench:restart] ${message}\n`);

function parseOffers(argv: string[]): number {
  const i = argv.indexOf("--offers");
  if (i < 0) return 200;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    process.stderr.write(`--offers: "${argv[i + 1]}" is not a whole number from 1 to 100000\n`);
    process.exit(2);
  }
  return n;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const count = parseOffers(process.argv.slice(2));
  const home = makeTestHome();
  const upstream = await startBenchUpstream();
  const env = { TOLLGATE_DEVNET: "on", TOLLGATE_LOG_LEVEL: "warn" };
  try {
    log(`seeding ${count} offers on a fresh home (${home})`);
    const first = await startServeProcess({ home, env, timeoutMs: 180_000 });
    const client = createApiClient({ url: first.url, tokenFile: homePaths(home).adminToken });
    const names = await seedOffers({
      client,
      count,
      upstreamUrl: upstream.url,
      onProgress: (n) => log(`${n} offers created`),
    });
    const paths = names.map((name) => `/services/${name}/`);
    await waitForEveryStatus(
      paths.map((p) => first.url + p),
      402,
      { timeoutMs: 600_000 },
    );
    log("every offer answers 402; restarting (SIGTERM, then start)");
    await stopServeProcesses([first]);

    const started = performance.now();
    const second = await startServeProcess({ home, env, waitReady: false });
    while ((await fetch(`${second.url}/readyz`).catch(() => null))?.status !== 200) {
      if (second.child.exitCode !== null) throw new Error(`the server exited:\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const ready = performance.now();
    await waitForEveryStatus(
      paths.map((p) => second.url + p),
      402,
      { timeoutMs: 600_000 },
    );
    const serving = performance.now();
    await stopServeProcesses([second]);

    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
    process.stdout.write(
      [
        `restart with ${count} active offers (${cpus().length} cores, load ${load})`,
        `  process start → /readyz:            ${seconds(ready - started)}`,
        `  /readyz → every offer answers 402:  ${seconds(serving - ready)}`,
        `  total:                              ${seconds(serving - started)}`,
        "",
      ].join("\n"),
    );
  } finally {
    await upstream.close();
    removeTestHome(home);
  }
}

await main();
