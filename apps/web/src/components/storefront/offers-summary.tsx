import type { StorefrontPage } from "@tollgate/core/search/offer-search-schemas";
import { isFiltered, type StorefrontQuery } from "../../lib/storefront-query.ts";
import { describeFilters } from "./no-matching-offers.tsx";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The counts: how many offers are listed (by type), how many match, and which ones this page shows. */
export function OffersSummary({ listing, query }: { listing: StorefrontPage; query: StorefrontQuery }) {
  const { facets, total, page, pageSize, services } = listing;
  const from = (page - 1) * pageSize + 1;
  const to = from + services.length - 1;
  const byType = facets.types
    .filter((t) => t.count > 0)
    .map((t) => `${t.count.toLocaleString("en-US")} ${t.type}`)
    .join(" · ");
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-slate-700">
      <p role="status" data-testid="offers-summary">
        {[
          isFiltered(query) ? `${plural(total, "offer matches", "offers match")} ${describeFilters(query)}.` : "",
          services.length > 0
            ? `Showing ${from.toLocaleString("en-US")}–${to.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}.`
            : "",
        ]
          .filter(Boolean)
          .join(" ")}
      </p>
      <p data-testid="offers-counts">
        {plural(facets.total, "offer", "offers")} listed{byType ? `: ${byType}` : ""}
      </p>
    </div>
  );
}
