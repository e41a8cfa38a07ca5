// Issue 10, acceptance 2 and 3: the reconciler's cost follows what changed, and one failing offer delays
// no other. Real Postgres, real upstreams on loopback, the real local driver; condition rows written are
// counted by a trigger on the table, so the count is what the database actually wrote.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createInProcessEventBus, createOfferService } from "@tollgate/core";
import { buildChainRuntime, devnetUsdc, sellerAddress } from "@tollgate/core/testing/fixtures";
import { createSettingsStore } from "@tollgate/db";
import { createOfferRepository } from "@tollgate/db/repositories/offers";
import { createTestDatabase, type TestDatabase } from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalDriver } from "../drivers/local/create-local-driver.ts";
import { probeUpstream } from "../drivers/local/probe-upstream.ts";
import { startReconciler } from "./start-reconciler.ts";

const quiet = { info() {}, warn() {}, error() {} };
const groups = 20;
const perGroup = 100;

let database: TestDatabase;
let upstream: Server;
let origin: string;
/** Health paths (`/health-<group>`) that answer 503. */
const unhealthy = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase();
  upstream = createServer((req, res) => {
    res.writeHead(unhealthy.has(req.url ?? "") ? 503 : 200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  await database.db.$executeRawUnsafe(`CREATE TABLE condition_writes ("offerId" text, type text)`);
  await database.db.$executeRawUnsafe(`
    CREATE FUNCTION record_condition_write() RETURNS trigger AS $$
    BEGIN INSERT INTO condition_writes VALUES (NEW."offerId", NEW.type); RETURN NEW; END $$ LANGUAGE plpgsql`);
  await database.db.$executeRawUnsafe(`
    CREATE TRIGGER record_condition_write AFTER INSERT OR UPDATE ON "OfferCondition"
    FOR EACH ROW EXECUTE FUNCTION record_condition_write()`);
});

afterAll(async () => {
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await database?.close();
});

async function insertOffers(prefix: string, count: number, upstreamOf: (i: number) => { url: string; health: string }) {
  const base = Date.now() - 60_000;
  await database.db.offer.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      name: `${prefix}-${i}`,
      liveName: `${prefix}-${i}`,
      type: "http" as const,
      upstreamUrl: upstreamOf(i).url,
      healthPath: upstreamOf(i).health,
      path: `/services/${prefix}-${i}`,
      chain: "local",
      asset: devnetUsdc,
      payTo: sellerAddress,
      priceAmount: "0.01",
      registration: { enabled: false },
      createdAt: new Date(base + i),
    })),
  });
}

const countWrites = async () =>
  (await database.db.$queryRawUnsafe<{ offerId: string; type: string }[]>(`SELECT * FROM condition_writes`)).map(
    (r) => `${r.offerId}/${r.type}`,
  );
const countReady = async (status: "True" | "False", where = "") =>
  Number(
    (
      await database.db.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "OfferCondition" c JOIN "Offer" o ON o.id = c."offerId"
         WHERE c.type = 'Ready' AND c.status = '${status}' ${where}`,
      )
    )[0]?.n ?? 0,
  );

async function waitUntil(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

describe("reconciler at scale", () => {
  it("with 2,000 offers, flipping one upstream's health rewrites only the conditions of the offers behind it, within one probe interval", async () => {
    await insertOffers("s", groups * perGroup, (i) => ({ url: origin, health: `/health-${i % groups}` }));
    const intervalMs = 2_000;
    const jitter = 0.2;
    const driver = createLocalDriver({ intervalMs, jitter });
    const reconciler = startReconciler({
      repo: createOfferRepository({ db: database.db }),
      driver,
      chains: buildChainRuntime(),
      events: createInProcessEventBus(),
      log: quiet,
    });
    try {
      await reconciler.runOnce();
      expect(await countReady("True")).toBe(groups * perGroup);
      expect(driver.stats().upstreams).toBe(groups); // one probe schedule per distinct upstream, not per offer
      expect(driver.routes.list()).toHaveLength(groups * perGroup);

      // Idle: a probe interval and more pass without a single condition row written.
      await database.db.$executeRawUnsafe(`TRUNCATE condition_writes`);
      await new Promise((r) => setTimeout(r, intervalMs * (1 + jitter) + 500));
      expect(await countWrites()).toEqual([]);

      const flipped = await database.db.offer.findMany({ where: { healthPath: "/health-7" }, select: { id: true } });
      expect(flipped).toHaveLength(perGroup);
      unhealthy.add("/health-7");
      const tookMs = await waitUntil(
        "the offers behind /health-7 to leave Ready",
        async () => (await countReady("False", `AND o."healthPath" = '/health-7'`)) === perGroup,
        20_000,
      );
      // One probe interval (at most interval × (1 + jitter)), plus the reconcile and one batched write.
      expect(tookMs).toBeLessThanOrEqual(intervalMs * (1 + jitter) + 1_000);
      // Let every other upstream be probed again at least once: still nothing else is written.
      await new Promise((r) => setTimeout(r, intervalMs * (1 + jitter) + 500));
      const writes = await countWrites();
      const ids = new Set(flipped.map((o) => o.id));
      expect(writes.filter((w) => !ids.has(w.split("/")[0] ?? ""))).toEqual([]);
      // Exactly three rows per affected offer: UpstreamHealthy, RoutePublished and Ready.
      expect(writes).toHaveLength(perGroup * 3);
      expect(new Set(writes.map((w) => w.split("/")[1]))).toEqual(
        new Set(["UpstreamHealthy", "RoutePublished", "Ready"]),
      );
      expect(await countReady("True")).toBe(groups * perGroup - perGroup);
      expect(driver.routes.list()).toHaveLength(groups * perGroup - perGroup);
      expect(driver.routes.match("/services/s-7")).toBeNull();
      expect(driver.routes.match("/services/s-8")).not.toBeNull();

      unhealthy.delete("/health-7");
      await waitUntil("the offers to come back", async () => (await countReady("True")) === groups * perGroup, 20_000);
      expect(driver.routes.list()).toHaveLength(groups * perGroup);
    } finally {
      await reconciler.stop();
      await driver.stop();
    }
  });

  it("an offer whose probe throws is retried with backoff and delays no other offer", async () => {
    await database.db.offer.deleteMany({});
    const attempts: number[] = [];
    const driver = createLocalDriver({
      intervalMs: 60_000,
      probe: async (input) => {
        if (input.url?.includes("probe-throws.example")) {
          attempts.push(Date.now());
          throw new Error("the probe exploded");
        }
        return probeUpstream(input);
      },
    });
    const repo = createOfferRepository({ db: database.db });
    const events = createInProcessEventBus();
    // The failing offer is the oldest, so it is the first key taken; one worker would block on it if failures blocked.
    await insertOffers("bad", 1, () => ({ url: "http://probe-throws.example", health: "/health" }));
    await insertOffers("good", 30, () => ({ url: origin, health: "/health" }));
    const reconciler = startReconciler({
      repo,
      driver,
      chains: buildChainRuntime(),
      events,
      log: quiet,
      concurrency: 1,
      retryBaseMs: 1_000,
    });
    try {
      await reconciler.runOnce();
      expect(await countReady("True")).toBe(30);
      expect(attempts.length).toBeGreaterThanOrEqual(1);

      // While the bad offer backs off, new offers become Ready without waiting for it.
      const offers = createOfferService({
        repo,
        chains: buildChainRuntime(),
        settings: createSettingsStore({ db: database.db }),
        events,
      });
      const created = Date.now();
      for (let i = 0; i < 10; i += 1) {
        await offers.create({
          actor: "test",
          input: {
            name: `late-${i}`,
            upstream: origin,
            payment: { price: "0.01", payTo: sellerAddress },
            registration: { enabled: false },
          },
        });
      }
      await waitUntil("the new offers to be Ready", async () => (await countReady("True")) === 40, 10_000);
      const readyAfterMs = Date.now() - created;

      await waitUntil("four attempts of the failing probe", async () => attempts.length >= 4, 30_000);
      const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? t));
      // Doubling backoff with ±20% jitter: each gap is at least 4/3 of the one before.
      for (let i = 1; i < gaps.length; i += 1) expect(gaps[i]).toBeGreaterThan((gaps[i - 1] ?? 0) * 1.25);
      expect(reconciler.stats().failures).toBeGreaterThanOrEqual(4);
      // The new offers were Ready sooner than the failing one's backoff had grown to.
      expect(readyAfterMs).toBeLessThan(gaps.at(-1) ?? 0);
      expect(await countReady("True")).toBe(40);
      const bad = await repo.findLive("bad-0");
      expect(bad?.conditions.find((c) => c.type === "Ready")?.status).not.toBe("True");
    } finally {
      await reconciler.stop();
      await driver.stop();
    }
  });
});
