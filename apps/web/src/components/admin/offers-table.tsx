"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import {
  findCondition,
  getOfferDisplayState,
  type OfferDisplayState,
  offerDisplayStates,
} from "../../lib/offer-display-state.ts";
import { useNow } from "../../lib/use-now.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ConditionPills, ReadyBadge } from "./condition-pills.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { primaryButtonClass } from "./form-field.tsx";

type Filter = "all" | OfferDisplayState;

/** Every offer with its conditions at a glance, filtered by state. */
export function OffersTable() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>("all");
  const offers = useQuery(trpc.offers.list.queryOptions({ all: filter === "deleted" || filter === "all" }));
  const now = useNow(5_000);
  const rows = (offers.data ?? []).filter((o) =>
    filter === "all" ? o.state !== "deleted" : getOfferDisplayState(o, now) === filter,
  );
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
      <fieldset className="flex flex-wrap items-center gap-2 text-sm">
        <legend className="sr-only">Filter by state</legend>
        {(["all", ...offerDisplayStates] as Filter[]).map((value) => (
          <label
            key={value}
            className={`cursor-pointer rounded-full border px-3 py-1 ${filter === value ? "border-emerald-700 bg-emerald-50 text-emerald-950" : "border-slate-300 bg-white text-slate-700"}`}
          >
            <input
              type="radio"
              name="state-filter"
              value={value}
              checked={filter === value}
              onChange={() => setFilter(value)}
              className="sr-only"
            />
            {value === "all" ? "All live" : value}
          </label>
        ))}
      </fieldset>
      {offers.error ? (
        <ErrorMessage title="Could not load offers" error={describeError(offers.error)} />
      ) : offers.isPending ? (
        <p role="status" className="text-slate-600">
          Loading offers…
        </p>
      ) : rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {filter === "all" ? (
            <>
              No offers yet.{" "}
              <Link href="/admin/offers/new" className="font-semibold text-emerald-800 underline">
                Create the first one
              </Link>
              .
            </>
          ) : (
            `No ${filter} offers.`
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
    </section>
  );
}
