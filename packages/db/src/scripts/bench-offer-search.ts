// `pnpm bench:search [--offers 10000]`: seeds a scratch database with N offers (SQL, ready conditions)
// and prints the time of the storefront and admin search queries (median and p95 of 30 runs each).
import { performance } from "node:perf_hooks";
import type { OfferSearchQuery } from "@tollgate/core";
import { chainNames } from "@tollgate/core/chains/index";
import { operationalConditions } from "@tollgate/core/discovery/index";
import { createOfferRepository } from "../repositories/offers.ts";
import { createTestDatabase } from "../testing/test-database.ts";

const flag = process.argv.indexOf("--offers");
const offerCount = flag > 0 ? Number(process.argv[flag + 1]) : 10_000;
if (!Number.isInteger(offerCount) || offerCount < 1) {
  console.error("usage: pnpm bench:search [--offers N]");
  process.exit(2);
}

const database = await createTestDatabase();
try {
  const db = database.db;
  const started = performance.now();
  await db.$executeRaw`
    INSERT INTO "Offer" ("id", "name", "liveName", "type", "upstreamUrl", "path", "model", "description",
      "listingCategory", "listingWeight", "chain", "asset", "payTo", "priceAmount", "updatedAt")
    SELECT 'bench-' || i, 'bench-' || i, 'bench-' || i,
      (ARRAY['http', 'inference', 'agent'])[1 + i % 3]::"OfferType",
      'http://127.0.0.1:9/' || (i % 50), '/services/bench-' || i,
      CASE WHEN i % 3 = 1 THEN 'llama-' || (i % 7) ELSE NULL END,
      'Benchmark offer ' || i || ': ' || (ARRAY['weather forecasts', 'tide tables', 'currency rates', 'translation', 'geocoding'])[1 + i % 5] || ' for agents and people',
      (ARRAY['weather', 'maps', 'finance', 'language'])[1 + i % 4], i % 10,
      'local', '0x5FbDB2315678afecb367f032d93F642f64180aa3', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0.001', now()
    FROM generate_series(1, ${offerCount}) AS i`;
  await db.$executeRaw`
    INSERT INTO "OfferCondition" ("id", "offerId", "type", "status", "reason", "observedGeneration")
    SELECT o."id" || '-' || t, o."id", t,
      CASE WHEN t = 'UpstreamHealthy' AND o."name" LIKE '%7' THEN 'False' ELSE 'True' END::"ConditionStatus", 'Bench', 1
    FROM "Offer" o, unnest(${[...operationalConditions, "Registered", "Draining", "Ready"]}::text[]) AS t`;
  await db.$executeRaw`ANALYZE "Offer"`;
  await db.$executeRaw`ANALYZE "OfferCondition"`;
  console.log(`seeded ${offerCount} offers in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const repo = createOfferRepository({ db });
  const now = new Date();
  const listed = (q: Partial<OfferSearchQuery> = {}): OfferSearchQuery => ({
    scope: { kind: "listed", now, chains: chainNames },
    words: [],
    page: 1,
    pageSize: 24,
    ...q,
  });
  const cases: [string, OfferSearchQuery][] = [
    ["storefront home (page 1 of 24)", listed()],
    ["storefront page 200", listed({ page: 200 })],
    ["storefront search 'tide'", listed({ words: ["tide"] })],
    ["storefront search 'bench-4242'", listed({ words: ["bench-4242"] })],
    ["storefront type=inference category=maps", listed({ type: "inference", category: "maps" })],
    ["admin live, page 1 of 50", listed({ scope: { kind: "admin", now, state: "live" }, pageSize: 50 })],
    [
      "admin search 'currency' page 3",
      listed({ scope: { kind: "admin", now, state: "live" }, words: ["currency"], page: 3 }),
    ],
  ];
  for (const [label, query] of cases) {
    const samples: number[] = [];
    let result = await repo.search(query);
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      result = await repo.search(query);
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0).toFixed(1);
    console.log(
      `${label.padEnd(44)} median ${at(0.5).padStart(6)} ms  p95 ${at(0.95).padStart(6)} ms  ${result.offers.length} rows of ${result.total}`,
    );
  }
} finally {
  await database.close();
}
process.exit(0);
