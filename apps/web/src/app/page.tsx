import { OffersEmptyState } from "../components/offers-empty-state.tsx";
import { CatalogUnavailable } from "../components/storefront/catalog-unavailable.tsx";
import { NoMatchingOffers } from "../components/storefront/no-matching-offers.tsx";
import { OfferCard } from "../components/storefront/offer-card.tsx";
import { OfferSearchForm } from "../components/storefront/offer-search-form.tsx";
import { OffersSummary } from "../components/storefront/offers-summary.tsx";
import { PaginationNav } from "../components/storefront/pagination-nav.tsx";
import { discoveryDocuments } from "../lib/discovery-documents.ts";
import { fetchStorefrontPage } from "../lib/server/fetch-storefront-page.ts";
import { isFiltered, parseStorefrontQuery, storefrontHref } from "../lib/storefront-query.ts";

export const dynamic = "force-dynamic";

const paySteps = [
  {
    title: "Call the endpoint",
    body: "Send the request as usual. Without a payment the service answers 402 Payment Required with what it costs.",
  },
  {
    title: "Sign a payment",
    body: "An x402 client signs a USDC transfer authorization for the exact amount. No account, no API key.",
  },
  {
    title: "Retry with the payment",
    body: "Send the same request with the PAYMENT-SIGNATURE header. The payment settles and the answer comes back.",
  },
] as const;

/** Cards per storefront page: small pages stay fast whatever the size of the catalog. */
const pageSize = 24;

export default async function StorefrontHome({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = parseStorefrontQuery(await searchParams);
  const result = await fetchStorefrontPage({
    q: query.q,
    ...(query.type ? { type: query.type } : {}),
    ...(query.category ? { category: query.category } : {}),
    page: query.page,
    pageSize,
  });
  const listing = result.ok ? result.page : null;
  const profile = listing?.profile ?? null;
  const services = listing?.services ?? [];
  return (
    <div className="space-y-16">
      <section aria-labelledby="hero-heading" className="pt-4">
        <div className="flex items-center gap-4">
          {profile?.logoUrl ? (
            <img src={profile.logoUrl} alt="" width={56} height={56} className="size-14 rounded-lg" />
          ) : null}
          <p className="text-lg font-semibold text-slate-900" data-testid="seller-name">
            {profile?.displayName ?? "Tollgate"}
          </p>
        </div>
        <h1
          id="hero-heading"
          className="mt-5 max-w-3xl text-4xl font-semibold tracking-tight text-slate-900 sm:text-5xl"
        >
          Paid APIs, inference and agents — pay per request with x402 (USDC)
        </h1>
        {profile?.tagline ? (
          <p className="mt-5 max-w-2xl text-lg leading-relaxed text-slate-700">{profile.tagline}</p>
        ) : null}
        <p className="mt-3 max-w-2xl leading-relaxed text-slate-700">
          Every service here is sold one request at a time. People and agents pay with a signed stablecoin authorization
          over HTTP, settled on an EVM chain.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <a
            href="#offers"
            className="rounded-md bg-emerald-700 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700"
          >
            Browse offers
          </a>
          <a
            href="/skill.md"
            className="rounded-md border border-slate-300 bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700"
          >
            Instructions for agents
          </a>
        </div>
      </section>

      <section id="offers" aria-labelledby="offers-heading" className="scroll-mt-8">
        <h2 id="offers-heading" className="text-2xl font-semibold tracking-tight">
          Offers
        </h2>
        <p className="mt-2 text-slate-700">Services on sale from this seller.</p>
        <div className="mt-6 space-y-6">
          {!result.ok ? (
            <CatalogUnavailable message={result.message} />
          ) : listing && listing.facets.total === 0 ? (
            <OffersEmptyState />
          ) : listing ? (
            <>
              <OfferSearchForm query={query} facets={listing.facets} />
              <OffersSummary listing={listing} query={query} />
              {services.length === 0 ? (
                <NoMatchingOffers query={query} pageCount={listing.pageCount} />
              ) : (
                <ul className="grid gap-4 sm:grid-cols-2" aria-label={`Offers, page ${listing.page}`}>
                  {services.map((service) => (
                    <OfferCard key={service.name} service={service} />
                  ))}
                </ul>
              )}
              <PaginationNav
                page={listing.page}
                pageCount={listing.pageCount}
                hrefFor={(page) => storefrontHref({ ...query, page })}
                label={isFiltered(query) ? "Pages of matching offers" : "Pages of offers"}
              />
            </>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="how-heading">
        <h2 id="how-heading" className="text-2xl font-semibold tracking-tight">
          How paying works
        </h2>
        <ol className="mt-6 grid gap-4 sm:grid-cols-3">
          {paySteps.map((step, index) => (
            <li key={step.title} className="rounded-lg border border-slate-200 bg-white p-5">
              <p className="text-sm font-semibold text-emerald-800">Step {index + 1}</p>
              <h3 className="mt-1 font-semibold text-slate-900">{step.title}</h3>
              <p className="mt-2 text-sm leading-relaxed text-slate-700">{step.body}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="discovery-heading">
        <h2 id="discovery-heading" className="text-2xl font-semibold tracking-tight">
          For agents and tools
        </h2>
        <p className="mt-2 text-slate-700">
          The same catalog, machine-readable. An x402 client library can pay any endpoint listed there without help.
        </p>
        <ul className="mt-6 grid gap-4 sm:grid-cols-3">
          {discoveryDocuments.map((doc) => (
            <li key={doc.href} className="rounded-lg border border-slate-200 bg-white p-5">
              <h3 className="font-semibold text-slate-900">
                <a
                  href={doc.href}
                  className="underline decoration-slate-300 underline-offset-4 hover:decoration-slate-600"
                >
                  {doc.title}
                </a>
              </h3>
              <p className="mt-1 font-mono text-xs text-slate-600">{doc.href}</p>
              <p className="mt-3 text-sm leading-relaxed text-slate-700">{doc.description}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
