import { chainNames } from "../chains/chain-table.ts";
import { toPublicUrl } from "../discovery/public-base-url.ts";
import { type CatalogService, toCatalogServices } from "../discovery/render-service-catalog.ts";
import { TollgateError } from "../errors/error-codes.ts";
import { selectListedOffers } from "../discovery/select-listed-offers.ts";
import type { StorefrontProfile } from "../discovery/storefront-profile.ts";
import type { OfferRepository, OfferSearchPage, OfferSearchQuery } from "../offers/offer-repository.ts";
import { parseInput } from "../offers/parse-input.ts";
import { toOfferView } from "../offers/to-offer-view.ts";
import { offerNameInputSchema } from "../offers/offer-schemas.ts";
import {
  type AdminOfferPage,
  type AdminOfferSearchInput,
  adminOfferSearchInputSchema,
  type StorefrontPage,
  type StorefrontSearchInput,
  storefrontSearchInputSchema,
} from "./offer-search-schemas.ts";

/** At most this many distinct words of a query are matched (each one narrows the result). */
const maxWords = 8;

/** The distinct lower-cased words of a search box value. */
export function splitSearchWords(q: string): string[] {
  return [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, maxWords);
}

const pageCountOf = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

function pageFields(found: OfferSearchPage, page: number, pageSize: number) {
  return { page, pageSize, pageCount: pageCountOf(found.total, pageSize), total: found.total, facets: found.facets };
}

/**
 * Paginated search over offers for the public storefront (what the discovery documents list, in their
 * order) and for the admin offers table (by state). Each call reads one page from the ledger, never the
 * whole catalog, so both stay small and fast with 10,000 offers (SPEC §9 "Storefront at scale").
 */
export function createOfferSearchService({
  offers,
  site,
  clock = () => new Date(),
}: {
  offers: Pick<OfferRepository, "search" | "findLive">;
  site: { get(): Promise<{ profile: StorefrontProfile; publicBaseUrl: string }> };
  clock?: () => Date;
}) {
  return {
    /** One page of the listed offers as catalog entries, with the counts and the seller's profile. */
    async searchStorefront(input: StorefrontSearchInput): Promise<StorefrontPage> {
      const { q, type, category, page, pageSize } = parseInput(storefrontSearchInputSchema, input);
      const now = clock();
      const query: OfferSearchQuery = {
        scope: { kind: "listed", now, chains: chainNames },
        words: splitSearchWords(q),
        type,
        category,
        page,
        pageSize,
      };
      const [found, settings] = await Promise.all([offers.search(query), site.get()]);
      const listed = selectListedOffers({ offers: found.offers, now });
      return {
        profile: { ...settings.profile, logoUrl: toPublicUrl(settings.publicBaseUrl, settings.profile.logoUrl) },
        services: toCatalogServices(listed, settings.publicBaseUrl),
        ...pageFields(found, page, pageSize),
      };
    },

    /** One listed offer's catalog entry (its storefront page), without reading the whole catalog. */
    async showStorefrontOffer(input: { name: string }): Promise<CatalogService> {
      const { name } = parseInput(offerNameInputSchema, input);
      const [found, settings] = await Promise.all([offers.findLive(name), site.get()]);
      const [service] = found
        ? toCatalogServices(selectListedOffers({ offers: [found], now: clock() }), settings.publicBaseUrl)
        : [];
      if (!service) throw new TollgateError("NOT_FOUND", `No listed offer is named "${name}"`, { field: "name" });
      return service;
    },

    /** One page of the admin offers table, with conditions. */
    async searchAdmin(input: AdminOfferSearchInput): Promise<AdminOfferPage> {
      const { q, type, category, page, pageSize, state } = parseInput(adminOfferSearchInputSchema, input);
      const found = await offers.search({
        scope: { kind: "admin", now: clock(), state },
        words: splitSearchWords(q),
        type,
        category,
        page,
        pageSize,
      });
      return {
        offers: found.offers.map(({ offer, conditions }) => toOfferView(offer, conditions)),
        ...pageFields(found, page, pageSize),
      };
    },
  };
}

export type OfferSearchService = ReturnType<typeof createOfferSearchService>;
