import Link from "next/link";
import { type StorefrontQuery, storefrontHref } from "../../lib/storefront-query.ts";

/** What the filters were, in words: `“tide” among inference offers in maps`. */
export function describeFilters(query: Pick<StorefrontQuery, "q" | "type" | "category">): string {
  const parts = [query.q ? `“${query.q}”` : "the filters"];
  if (query.type) parts.push(`among ${query.type} offers`);
  if (query.category) parts.push(`in ${query.category}`);
  return parts.join(" ");
}

/** The search found nothing, or the page asked for is past the last one: say so and offer a way back. */
export function NoMatchingOffers({ query, pageCount }: { query: StorefrontQuery; pageCount: number }) {
  const pastTheEnd = query.page > pageCount;
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8">
      <h3 className="text-lg font-semibold text-slate-900">
        {pastTheEnd ? `There is no page ${query.page}` : `No offers match ${describeFilters(query)}`}
      </h3>
      <p className="mt-2 max-w-2xl text-slate-700">
        {pastTheEnd
          ? `The listing has ${pageCount} ${pageCount === 1 ? "page" : "pages"}.`
          : "Try fewer or other words: the search looks at names, descriptions, types, models and categories."}
      </p>
      <p className="mt-4 flex flex-wrap gap-4 text-sm">
        {pastTheEnd ? (
          <Link href={storefrontHref({ ...query, page: 1 })} className="font-semibold text-emerald-800 underline">
            Go to the first page
          </Link>
        ) : (
          <Link
            href={storefrontHref({ q: "", type: null, category: null, page: 1 })}
            className="font-semibold text-emerald-800 underline"
          >
            Clear the search and show every offer
          </Link>
        )}
      </p>
    </div>
  );
}
