import { offerTypes } from "@tollgate/core/offers/offer";
import type { StorefrontPage } from "@tollgate/core/search/offer-search-schemas";
import type { StorefrontQuery } from "../../lib/storefront-query.ts";

const fieldClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-emerald-700";

/**
 * The storefront's search and filters: a plain GET form, so a search is a link (`/?q=…&type=…`) and works
 * without JavaScript. Option labels carry the counts of the whole listing.
 */
export function OfferSearchForm({ query, facets }: { query: StorefrontQuery; facets: StorefrontPage["facets"] }) {
  const typeCount = (type: string) => facets.types.find((t) => t.type === type)?.count ?? 0;
  const categories = facets.categories.map((c) => c.category);
  if (query.category && !categories.includes(query.category)) categories.unshift(query.category);
  return (
    <search aria-label="Offer search">
      <form
        action="/#offers"
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end"
      >
        <div>
          <label htmlFor="offer-search" className="text-sm font-medium text-slate-800">
            Search offers
          </label>
          <input
            id="offer-search"
            type="search"
            name="q"
            defaultValue={query.q}
            maxLength={200}
            placeholder="Name, description, model, category"
            className={fieldClass}
          />
        </div>
        <div>
          <label htmlFor="offer-type" className="text-sm font-medium text-slate-800">
            Type
          </label>
          <select id="offer-type" name="type" defaultValue={query.type ?? ""} className={fieldClass}>
            <option value="">All types ({facets.total})</option>
            {offerTypes.map((type) => (
              <option key={type} value={type}>
                {type} ({typeCount(type)})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="offer-category" className="text-sm font-medium text-slate-800">
            Category
          </label>
          <select id="offer-category" name="category" defaultValue={query.category ?? ""} className={fieldClass}>
            <option value="">All categories</option>
            {categories.map((category) => (
              <option key={category} value={category}>
                {category} ({facets.categories.find((c) => c.category === category)?.count ?? 0})
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700"
        >
          Search
        </button>
      </form>
    </search>
  );
}
