import { type OfferStateFilter, offerStateFilters } from "@tollgate/core/offers/offer-repository";
import {
  first,
  parseStorefrontQuery,
  type SearchParams,
  type StorefrontQuery,
  toSearchString,
} from "./storefront-query.ts";

/** What the admin offers table's URL says: the storefront's search and filters plus the state. */
export interface AdminOffersQuery extends StorefrontQuery {
  state: OfferStateFilter;
}

/** Reads `/admin/offers?q=…&state=…&page=…` leniently, like the storefront. */
export function parseAdminOffersQuery(params: SearchParams): AdminOffersQuery {
  const state = first(params.state);
  return {
    ...parseStorefrontQuery(params),
    state: (offerStateFilters as readonly string[]).includes(state) ? (state as OfferStateFilter) : "live",
  };
}

/** The admin offers table's URL for a query (`state=live` and page 1 left out). */
export function adminOffersHref(query: AdminOffersQuery): string {
  return `/admin/offers${toSearchString(query, query.state === "live" ? {} : { state: query.state })}`;
}
