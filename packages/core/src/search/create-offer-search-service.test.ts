import { describe, expect, it } from "vitest";
import { defaultStorefrontProfile } from "../discovery/storefront-profile.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { OfferSearchPage, OfferSearchQuery } from "../offers/offer-repository.ts";
import { buildListedOffer, discoveryNow, publicBase } from "../testing/discovery-fixtures.ts";
import { createOfferSearchService, splitSearchWords } from "./create-offer-search-service.ts";

function setup(found: Partial<OfferSearchPage> = {}) {
  const queries: OfferSearchQuery[] = [];
  const service = createOfferSearchService({
    offers: {
      async search(query) {
        queries.push(query);
        return { offers: [], total: 0, facets: { total: 0, types: [], categories: [] }, ...found };
      },
      async findLive(name) {
        return (found.offers ?? []).find((o) => o.offer.name === name) ?? null;
      },
    },
    site: { get: async () => ({ profile: defaultStorefrontProfile, publicBaseUrl: publicBase }) },
    clock: () => discoveryNow,
  });
  return { service, queries };
}

describe("offer search service", () => {
  it("asks the ledger for one page of listed offers and returns catalog entries with page counts", async () => {
    const { service, queries } = setup({
      offers: [buildListedOffer({ name: "tides", description: "Tide tables" })],
      total: 49,
      facets: { total: 60, types: [{ type: "http", count: 60 }], categories: [] },
    });
    const page = await service.searchStorefront({ q: "  Tide  TABLES tide ", page: 3, pageSize: 24 });
    expect(queries[0]).toMatchObject({
      scope: { kind: "listed", now: discoveryNow },
      words: ["tide", "tables"],
      page: 3,
      pageSize: 24,
    });
    expect(page.services.map((s) => [s.name, s.endpoint])).toEqual([["tides", `${publicBase}/services/tides`]]);
    expect(page).toMatchObject({ page: 3, pageSize: 24, pageCount: 3, total: 49, facets: { total: 60 } });
    expect(page.profile.logoUrl).toBe(`${publicBase}/logo.svg`);
  });

  it("says page 1 of 1 when nothing matches", async () => {
    const { service } = setup();
    expect(await service.searchStorefront({})).toMatchObject({ page: 1, pageSize: 24, pageCount: 1, total: 0 });
  });

  it("refuses a page size over 100 or a page below 1, naming the field", async () => {
    const { service, queries } = setup();
    await expect(service.searchStorefront({ pageSize: 101 })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      field: "pageSize",
    });
    await expect(service.searchAdmin({ page: 0 })).rejects.toBeInstanceOf(TollgateError);
    await expect(service.searchAdmin({ state: "gone" as "live" })).rejects.toMatchObject({ field: "state" });
    expect(queries).toEqual([]);
  });

  it("pages the admin table by state with offer views", async () => {
    const { service, queries } = setup({ offers: [buildListedOffer({ name: "tides" })], total: 1 });
    const page = await service.searchAdmin({ state: "draining", type: "inference", category: "maps" });
    expect(queries[0]).toMatchObject({
      scope: { kind: "admin", state: "draining" },
      type: "inference",
      category: "maps",
    });
    expect(page.offers.map((o) => [o.name, o.conditions.length])).toEqual([["tides", 7]]);
  });

  it("shows one listed offer by name; an offer that is not listed is NOT_FOUND", async () => {
    const { service } = setup({
      offers: [
        buildListedOffer({ name: "tides" }),
        buildListedOffer({ name: "down" }, { UpstreamHealthy: ["False", "Unreachable"] }),
      ],
    });
    expect(await service.showStorefrontOffer({ name: "tides" })).toMatchObject({
      name: "tides",
      endpoint: `${publicBase}/services/tides`,
    });
    for (const name of ["down", "nothing-here"]) {
      await expect(service.showStorefrontOffer({ name })).rejects.toMatchObject({ code: "NOT_FOUND", field: "name" });
    }
  });

  it("splits a query into at most eight distinct lower-case words", () => {
    expect(splitSearchWords("")).toEqual([]);
    expect(splitSearchWords("a b c d e f g h i j A")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });
});
