"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { offerTypes } from "@tollgate/core/offers/offer";
import type { OfferStateFilter } from "@tollgate/core/offers/offer-repository";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useEffect, useState } from "react";
import { type AdminOffersQuery, adminOffersHref, parseAdminOffersQuery } from "../../lib/admin-offers-query.ts";
import { describeError } from "../../lib/describe-error.ts";
import { findCondition, getOfferDisplayState } from "../../lib/offer-display-state.ts";
import { isFiltered } from "../../lib/storefront-query.ts";
import { useNow } from "../../lib/use-now.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { describeFilters } from "../storefront/no-matching-offers.tsx";
import { PaginationNav } from "../storefront/pagination-nav.tsx";
import { ConditionPills, ReadyBadge } from "./condition-pills.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { primaryButtonClass } from "./form-field.tsx";

/** Rows per page of the admin table. */
const pageSize = 50;

const stateLabels: Record<OfferStateFilter, string> = {
  live: "All live",
  active: "active",
  draining: "draining",
  stopped: "stopped",
  deleted: "deleted",
  all: "everything",
};

const fieldClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";

/** Every offer with its conditions at a glance, a page at a time; search and filters live in the URL. */
export function OffersTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const query = parseAdminOffersQuery(Object.fromEntries(useSearchParams()));
  const [q, setQ] = useState(query.q);
  // Back and forward change the URL under the box: show what the URL searches for.
  useEffect(() => setQ(query.q), [query.q]);
  const offers = useQuery({
    ...trpc.offers.search.queryOptions({
      q: query.q,
      ...(query.type ? { type: query.type } : {}),
      ...(query.category ? { category: query.category } : {}),
      state: query.state,
      page: query.page,
      pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const now = useNow(5_000);
  const go = (changes: Partial<AdminOffersQuery>) =>
    router.push(adminOffersHref({ ...query, page: 1, ...changes }), { scroll: false });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ q: q.trim() });
  };
  const data = offers.data;
  const rows = data?.offers ?? [];
  const filtered = isFiltered(query) || query.state !== "live";
  return (
    <section aria-labelledby="offers-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 id="offers-heading" className="text-2xl font-semibold">
          Offers
        </h1>
        <Link href="/admin/offers/new" className={primaryButtonClass}>
          New offer
        </Link>
      </div>
      <search aria-label="Offer search">
        <form onSubmit={submit} action={pathname} className="flex flex-wrap items-end gap-3 text-sm">
          <label className="grid gap-1">
            <span className="font-medium text-slate-800">Search</span>
            <input
              type="search"
              name="q"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              maxLength={200}
              placeholder="Name, description, model, category"
              className={`${fieldClass} w-72`}
            />
          </label>
          <label className="grid gap-1">
            <span className="font-medium text-slate-800">Type</span>
            <select
              value={query.type ?? ""}
              onChange={(e) => go({ type: (e.target.value || null) as AdminOffersQuery["type"] })}
              className={fieldClass}
            >
              <option value="">All types</option>
              {offerTypes.map((type) => (
                <option key={type} value={type}>
                  {type} ({data?.facets.types.find((t) => t.type === type)?.count ?? 0})
                </option>
              ))}
            </select>
          </label>
          <label className="grid gap-1">
            <span className="font-medium text-slate-800">Category</span>
            <select
              value={query.category ?? ""}
              onChange={(e) => go({ category: e.target.value || null })}
              className={fieldClass}
            >
              <option value="">All categories</option>
              {query.category && !data?.facets.categories.some((c) => c.category === query.category) ? (
                <option value={query.category}>{query.category}</option>
              ) : null}
              {(data?.facets.categories ?? []).map((c) => (
                <option key={c.category} value={c.category}>
                  {c.category} ({c.count})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={primaryButtonClass}>
            Search
          </button>
        </form>
      </search>
      <fieldset className="flex flex-wrap items-center gap-2 text-sm">
        <legend className="sr-only">Filter by state</legend>
        {(Object.keys(stateLabels) as OfferStateFilter[]).map((value) => (
          <label
            key={value}
            className={`cursor-pointer rounded-full border px-3 py-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-emerald-700 ${query.state === value ? "border-emerald-700 bg-emerald-50 text-emerald-950" : "border-slate-300 bg-white text-slate-700"}`}
          >
            <input
              type="radio"
              name="state-filter"
              value={value}
              checked={query.state === value}
              onChange={() => go({ state: value })}
              className="sr-only"
            />
            {stateLabels[value]}
          </label>
        ))}
      </fieldset>
      {data ? (
        <p role="status" className="text-sm text-slate-700" data-testid="offers-summary">
          {data.total.toLocaleString("en-US")} {data.total === 1 ? "offer" : "offers"}
          {filtered ? ` of ${data.facets.total.toLocaleString("en-US")} ${stateLabels[query.state]}` : ""}
          {rows.length
            ? ` · showing ${((data.page - 1) * pageSize + 1).toLocaleString("en-US")}–${((data.page - 1) * pageSize + rows.length).toLocaleString("en-US")}`
            : ""}
        </p>
      ) : null}
      {offers.error ? (
        <ErrorMessage title="Could not load offers" error={describeError(offers.error)} />
      ) : offers.isPending ? (
        <p role="status" className="text-slate-600">
          Loading offers…
        </p>
      ) : rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {data && query.page > data.pageCount ? (
            <>
              There is no page {query.page}: the table has {data.pageCount} {data.pageCount === 1 ? "page" : "pages"}.{" "}
              <Link href={adminOffersHref({ ...query, page: 1 })} className="font-semibold text-emerald-800 underline">
                Go to the first page
              </Link>
              .
            </>
          ) : !filtered ? (
            <>
              No offers yet.{" "}
              <Link href="/admin/offers/new" className="font-semibold text-emerald-800 underline">
                Create the first one
              </Link>
              .
            </>
          ) : (
            <>
              {isFiltered(query)
                ? `No ${query.state === "live" ? "" : `${stateLabels[query.state]} `}offers match ${describeFilters(query)}. `
                : `No ${stateLabels[query.state]} offers. `}
              <Link href="/admin/offers" className="font-semibold text-emerald-800 underline">
                Show all live offers
              </Link>
              .
            </>
          )}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Offers</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  State
                </th>
                <th scope="col" className="px-3 py-2">
                  Ready
                </th>
                <th scope="col" className="px-3 py-2">
                  Price
                </th>
                <th scope="col" className="px-3 py-2">
                  Chain
                </th>
                <th scope="col" className="px-3 py-2">
                  Conditions
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((offer) => {
                const state = getOfferDisplayState(offer, now);
                return (
                  <tr key={offer.id} data-testid={`offer-row-${offer.name}`}>
                    <th scope="row" className="px-3 py-2 font-medium">
                      <Link
                        href={`/admin/offers/${offer.name}`}
                        className="text-emerald-800 underline underline-offset-4"
                      >
                        {offer.name}
                      </Link>
                      <span className="ml-2 text-xs text-slate-600">{offer.type}</span>
                    </th>
                    <td className="px-3 py-2">{state}</td>
                    <td className="px-3 py-2">
                      {offer.state === "deleted" ? "—" : <ReadyBadge ready={findCondition(offer, "Ready")} />}
                    </td>
                    <td className="px-3 py-2">{offer.payment.display}</td>
                    <td className="px-3 py-2">{offer.payment.chain}</td>
                    <td className="px-3 py-2">
                      <ConditionPills conditions={offer.conditions} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data ? (
        <PaginationNav
          page={data.page}
          pageCount={data.pageCount}
          hrefFor={(page) => adminOffersHref({ ...query, page })}
          label="Pages of offers"
        />
      ) : null}
    </section>
  );
}
