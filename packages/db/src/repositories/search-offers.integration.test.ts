import type { ConditionUpdate, OfferRepository, OfferSearchQuery, OfferType } from "@tollgate/core";
import { operationalConditions } from "@tollgate/core/discovery/index";
import { buildOffer } from "@tollgate/core/testing/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createOfferRepository } from "./offers.ts";

let database: TestDatabase;
let repo: OfferRepository;
const now = new Date();
const audit = { actor: "test", action: "offer.create" };
const types: OfferType[] = ["http", "inference", "agent"];

/** Operational conditions all True, except the ones named. */
function conditions(failing: string[] = []): ConditionUpdate[] {
  return operationalConditions.map((type) => ({
    type,
    status: failing.includes(type) ? "False" : "True",
    reason: failing.includes(type) ? "Unreachable" : "Ready",
    message: "",
    observedGeneration: 1,
  }));
}

async function seed(overrides: Parameters<typeof buildOffer>[0], failing: string[] = []) {
  const { id, createdAt, updatedAt, generation, state, drainAt, drainGraceSeconds, deletedAt, ...data } =
    buildOffer(overrides);
  const offer = await repo.create(data, audit);
  await repo.saveConditions(offer.id, conditions(failing), now);
  return offer;
}

const listed = (q: Partial<OfferSearchQuery> = {}): OfferSearchQuery => ({
  scope: { kind: "listed", now, chains: ["local", "base-sepolia", "base", "ethereum"] },
  words: [],
  page: 1,
  pageSize: 10,
  ...q,
});
const admin = (
  state: "live" | "active" | "draining" | "stopped" | "deleted" | "all",
  q: Partial<OfferSearchQuery> = {},
) => listed({ scope: { kind: "admin", now, state }, ...q });

beforeAll(async () => {
  database = await createTestDatabase();
  repo = createOfferRepository({ db: database.db });
  // 30 listed offers: three types, two categories, weights 0 and 5.
  for (let i = 0; i < 30; i++) {
    const n = String(i).padStart(2, "0");
    await seed({
      name: `bulk-${n}`,
      type: types[i % 3] as OfferType,
      model: i % 3 === 1 ? `llama-${n}` : null,
      description: i === 7 ? "Tide tables for every harbour" : `Bulk service number ${n}`,
      listing: { category: i % 2 ? "weather" : "maps", weight: i % 10 === 0 ? 5 : 0 },
    });
  }
  await seed({ name: "unhealthy", description: "harbour pilot" }, ["UpstreamHealthy"]);
  await seed({ name: "elsewhere", description: "harbour ferry", payment: { chain: "polygon" } });
  const draining = await seed({ name: "draining-one", description: "harbour tugs" });
  await repo.update(draining.id, 1, { state: "stopped", drainAt: now, drainGraceSeconds: 3600 }, audit);
  const drained = await seed({ name: "drained-one", description: "harbour closed" });
  await repo.update(
    drained.id,
    1,
    { state: "stopped", drainAt: new Date(now.getTime() - 7200_000), drainGraceSeconds: 60 },
    audit,
  );
  const deleted = await seed({ name: "deleted-one", description: "harbour gone" });
  await repo.update(deleted.id, 1, { state: "deleted", deletedAt: now }, audit);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("offer search (storefront at scale)", () => {
  it("lists only what discovery lists, one page at a time, in weight-then-name order with the total", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const result = await repo.search(listed({ page }));
      expect(result.total).toBe(31); // 30 bulk + the draining one
      seen.push(...result.offers.map((o) => o.offer.name));
      if (page < 4) expect(result.offers).toHaveLength(10);
    }
    expect(seen).toHaveLength(31);
    expect(new Set(seen).size).toBe(31);
    expect(seen.slice(0, 3)).toEqual(["bulk-00", "bulk-10", "bulk-20"]); // weight 5 first
    expect(seen).toContain("draining-one");
    for (const hidden of ["unhealthy", "elsewhere", "drained-one", "deleted-one"]) expect(seen).not.toContain(hidden);
    const first = await repo.search(listed());
    expect(first.offers[0]?.conditions.map((c) => c.type).sort()).toEqual([...operationalConditions].sort());
  });

  it("finds an offer by a word of its description, any case, every word required", async () => {
    const tide = await repo.search(listed({ words: ["harbour"] }));
    expect(tide.offers.map((o) => o.offer.name)).toEqual(["bulk-07", "draining-one"]);
    expect(tide.total).toBe(2);
    expect((await repo.search(listed({ words: ["tide", "harbour"] }))).offers.map((o) => o.offer.name)).toEqual([
      "bulk-07",
    ]);
    expect((await repo.search(listed({ words: ["tide", "nowhere"] }))).total).toBe(0);
    // Name, model, type and category are searched too; LIKE wildcards are literal.
    expect((await repo.search(listed({ words: ["bulk-1"] }))).total).toBe(10);
    expect((await repo.search(listed({ words: ["llama-04"] }))).offers.map((o) => o.offer.name)).toEqual(["bulk-04"]);
    expect((await repo.search(listed({ words: ["%"] }))).total).toBe(0);
    expect((await repo.search(listed({ words: ["b_lk"] }))).total).toBe(0);
  });

  it("filters by type and category, and counts the scope's types and categories", async () => {
    const inference = await repo.search(listed({ type: "inference", pageSize: 100 }));
    expect(inference.total).toBe(10);
    expect(inference.offers.every((o) => o.offer.type === "inference")).toBe(true);
    const maps = await repo.search(listed({ category: "maps", type: "http" }));
    expect(maps.offers.every((o) => o.offer.listing.category === "maps" && o.offer.type === "http")).toBe(true);
    expect(maps.total).toBe(5);
    expect(maps.facets.total).toBe(31);
    expect(maps.facets.types).toEqual([
      { type: "agent", count: 10 },
      { type: "http", count: 11 },
      { type: "inference", count: 10 },
    ]);
    expect(maps.facets.categories).toEqual([
      { category: "maps", count: 15 },
      { category: "weather", count: 15 },
    ]);
  });

  it("keeps the search text current when an offer's description changes", async () => {
    const [bulk] = (await repo.search(listed({ words: ["bulk-29"] }))).offers;
    if (!bulk) throw new Error("bulk-29 is not listed");
    await repo.update(bulk.offer.id, bulk.offer.generation, { description: "Lighthouse beacons" }, audit);
    expect((await repo.search(listed({ words: ["lighthouse"] }))).offers.map((o) => o.offer.name)).toEqual(["bulk-29"]);
    expect((await repo.search(listed({ words: ["number", "29"] }))).total).toBe(0);
  });

  it("follows the reconciler: an offer whose upstream turns unhealthy leaves the listing and comes back", async () => {
    const [tides] = (await repo.search(listed({ words: ["tide"] }))).offers;
    if (!tides) throw new Error("bulk-07 is not listed");
    await repo.saveConditions(tides.offer.id, conditions(["UpstreamHealthy"]), now);
    expect((await repo.search(listed({ words: ["tide"] }))).total).toBe(0);
    expect((await repo.search(listed())).total).toBe(30);
    await repo.saveConditions(tides.offer.id, conditions(), now);
    expect((await repo.search(listed({ words: ["tide"] }))).total).toBe(1);
  });

  it("pages the admin table by state, drains and tombstones included", async () => {
    expect((await repo.search(admin("live"))).total).toBe(34);
    expect((await repo.search(admin("active"))).total).toBe(32);
    expect((await repo.search(admin("draining"))).offers.map((o) => o.offer.name)).toEqual(["draining-one"]);
    expect((await repo.search(admin("stopped"))).offers.map((o) => o.offer.name)).toEqual(["drained-one"]);
    expect((await repo.search(admin("deleted"))).offers.map((o) => o.offer.name)).toEqual(["deleted-one"]);
    expect((await repo.search(admin("all"))).total).toBe(35);
    const harbour = await repo.search(admin("live", { words: ["harbour"], pageSize: 2, page: 2 }));
    expect(harbour.total).toBe(5);
    expect(harbour.offers.map((o) => o.offer.name)).toEqual(["draining-one", "elsewhere"]);
  });

  it("answers a page past the end with no offers and the real total", async () => {
    const past = await repo.search(listed({ page: 50 }));
    expect(past.offers).toEqual([]);
    expect(past.total).toBe(31);
  });
});
