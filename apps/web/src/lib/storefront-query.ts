import { offerTypes } from "@tollgate/core/offers/offer";
import { offerSearchLimits } from "@tollgate/core/search/offer-search-schemas";

type OfferType = (typeof offerTypes)[number];

/** What the storefront's URL says: `/?q=tide&type=http&category=maps&page=2`. */
export interface StorefrontQuery {
  q: string;
  type: OfferType | null;
  category: string | null;
  page: number;
}

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter, or "". */
export const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

/**
 * Reads the storefront's query parameters leniently: a link someone edited by hand shows the closest
 * sensible page (page 1, no filter) rather than an error.
 */
export function parseStorefrontQuery(params: SearchParams): StorefrontQuery {
  const q = first(params.q).trim().slice(0, offerSearchLimits.query);
  const type = first(params.type);
  const category = first(params.category).trim().slice(0, 100);
  const page = Number(first(params.page));
  return {
    q,
    type: (offerTypes as readonly string[]).includes(type) ? (type as OfferType) : null,
    category: category || null,
    page: Number.isInteger(page) && page >= 1 && page <= offerSearchLimits.maxPage ? page : 1,
  };
}

/** `?q=…&type=…` for a query, with empty filters and page 1 left out ("" when nothing is left). */
export function toSearchString(query: StorefrontQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.type) params.set("type", query.type);
  if (query.category) params.set("category", query.category);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  if (query.page > 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** The storefront URL for a query, anchored at the offers. */
export function storefrontHref(query: StorefrontQuery): string {
  return `/${toSearchString(query)}#offers`;
}

/** True when the query narrows the listing (a search word, a type or a category). */
export function isFiltered(query: Pick<StorefrontQuery, "q" | "type" | "category">): boolean {
  return Boolean(query.q || query.type || query.category);
}

/** Page numbers to show around the current one, with `null` where a run of pages is left out. */
export function pageWindow(page: number, pageCount: number, radius = 2): (number | null)[] {
  const shown = new Set([1, pageCount]);
  for (let p = page - radius; p <= page + radius; p++) if (p >= 1 && p <= pageCount) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (typeof last === "number" && p - last === 2) out.push(last + 1);
    else if (typeof last === "number" && p - last > 2) out.push(null);
    out.push(p);
  }
  return out;
}
