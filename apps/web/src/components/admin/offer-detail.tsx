"use client";

import { useQuery } from "@tanstack/react-query";
import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import Link from "next/link";
import { describeError } from "../../lib/describe-error.ts";
import { formatAgo, formatTimestamp } from "../../lib/format-time.ts";
import { findCondition, getOfferDisplayState } from "../../lib/offer-display-state.ts";
import { useNow } from "../../lib/use-now.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ReadyBadge } from "./condition-pills.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { OfferActions } from "./offer-actions.tsx";
import { PaymentsTable } from "./payments-table.tsx";
import { AnalyticsPanel } from "./analytics-panel.tsx";

/** One offer: conditions, actions, payments, last settlement, revenue per day and chain, public links. */
export function OfferDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const now = useNow(1_000);
  const offer = useQuery(trpc.offers.show.queryOptions({ name }));
  const payments = useQuery(trpc.payments.list.queryOptions({ offer: name, limit: 100 }));
  // Counts, totals and the chart come from SQL aggregates over the whole ledger, not from a page of rows.
  const activity = useQuery(trpc.payments.offerActivity.queryOptions({ offer: name, days: 1 }));
  if (offer.error) return <ErrorMessage title={`Could not load ${name}`} error={describeError(offer.error)} />;
  if (!offer.data) return <p role="status">Loading…</p>;
  const o = offer.data;
  const rows = payments.data?.payments ?? [];
  const totals = activity.data?.totals ?? [];
  const lastSettledAt = activity.data?.lastSettledAt ?? null;
  const settledCount = totals.reduce((a, t) => a + t.payments, 0);
  const settledTotal = totals.reduce((a, t) => a + BigInt(t.amount), 0n);
  const testnet = totals[0]?.testnet ?? rows[0]?.testnet ?? o.payment.chain === "local";
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm">
            <Link href="/admin/offers" className="text-emerald-800 underline underline-offset-4">
              ← Offers
            </Link>
          </p>
          <h1 className="mt-2 text-2xl font-semibold">{o.name}</h1>
          <p className="mt-1 text-sm text-slate-700">
            {o.type} · {o.payment.display} on {o.payment.chain} · generation {o.generation} · state{" "}
            <span data-testid="offer-state">{getOfferDisplayState(o, now)}</span>
          </p>
        </div>
        <div data-testid="offer-ready">
          <ReadyBadge ready={findCondition(o, "Ready")} />
        </div>
      </div>

      <OfferActions offer={o} />

      <section aria-labelledby="stats-heading" className="grid gap-4 sm:grid-cols-3">
        <h2 id="stats-heading" className="sr-only">
          Activity
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <p className="text-xs uppercase tracking-wide text-slate-600">Last settlement</p>
          <p className="mt-1 text-lg font-semibold" data-testid="last-settlement">
            {lastSettledAt ? formatAgo(lastSettledAt, now) : "none yet"}
          </p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <p className="text-xs uppercase tracking-wide text-slate-600">Settled payments</p>
          <p className="mt-1 text-lg font-semibold" data-testid="settled-count">
            {settledCount}
          </p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <p className="text-xs uppercase tracking-wide text-slate-600">
            Revenue{testnet ? " (test chain, not counted)" : ""}
          </p>
          <p className="mt-1 text-lg font-semibold" data-testid="offer-revenue">
            {formatAtomicAmount({ amount: settledTotal.toString(), decimals: 6 })} USDC
          </p>
        </div>
      </section>

      <section aria-labelledby="conditions-heading">
        <h2 id="conditions-heading" className="text-lg font-semibold">
          Conditions
        </h2>
        {o.warnings.length > 0 ? (
          <ul className="mt-2 list-disc pl-6 text-sm text-amber-900">
            {o.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Conditions of {o.name}</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Condition
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Reason
                </th>
                <th scope="col" className="px-3 py-2">
                  Message
                </th>
                <th scope="col" className="px-3 py-2">
                  Since
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {o.conditions.map((c) => (
                <tr key={c.type} data-testid={`condition-${c.type}`}>
                  <th scope="row" className="px-3 py-2 font-medium">
                    {c.type}
                  </th>
                  <td className="px-3 py-2">{c.status}</td>
                  <td className="px-3 py-2 font-mono text-xs">{c.reason}</td>
                  <td className="px-3 py-2 text-slate-700">{c.message}</td>
                  <td className="whitespace-nowrap px-3 py-2" title={formatTimestamp(c.lastTransitionTime)}>
                    {formatAgo(c.lastTransitionTime, now)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="offer-analytics-heading">
        <h2 id="offer-analytics-heading" className="sr-only">
          Analytics of {o.name}
        </h2>
        <AnalyticsPanel offer={o.name} />
      </section>

      <section aria-labelledby="payments-heading">
        <h2 id="payments-heading" className="text-lg font-semibold">
          Payments
        </h2>
        <div className="mt-3">
          {payments.error ? (
            <ErrorMessage title="Could not load payments" error={describeError(payments.error)} />
          ) : rows.length === 0 ? (
            <p className="text-sm text-slate-600">No payments for this offer yet.</p>
          ) : (
            <PaymentsTable payments={rows.slice(0, 50)} caption={`Payments of ${o.name}`} />
          )}
        </div>
      </section>

      <section aria-labelledby="links-heading">
        <h2 id="links-heading" className="text-lg font-semibold">
          Public links
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-6 text-sm">
          <li>
            <a href={`/offers/${o.name}`} className="text-emerald-800 underline">
              Storefront page
            </a>
          </li>
          <li>
            <span className="font-mono">{o.path}</span> (paid endpoint)
          </li>
          <li>
            <a href="/api/services.json" className="text-emerald-800 underline">
              /api/services.json
            </a>
          </li>
        </ul>
      </section>
    </div>
  );
}
