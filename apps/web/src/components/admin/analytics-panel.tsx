"use client";

import { useQuery } from "@tanstack/react-query";
import { findChainByName } from "@tollgate/core/chains/find-chain";
import { useState } from "react";
import type { AnalyticsOverviewView } from "../../lib/admin-types.ts";
import { bucketRevenueSeries } from "../../lib/bucket-revenue-series.ts";
import { describeError } from "../../lib/describe-error.ts";
import { formatCount, formatMs, formatTokenAmount } from "../../lib/format-number.ts";
import { useNow } from "../../lib/use-now.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { LiveTicker } from "./live-ticker.tsx";
import { OfferStatsTable } from "./offer-stats-table.tsx";
import { RevenueChart } from "./revenue-chart.tsx";

const ranges = [
  { since: "24h", label: "24 h" },
  { since: "7d", label: "7 d" },
  { since: "30d", label: "30 d" },
] as const;
type Since = (typeof ranges)[number]["since"];

const card = "rounded-lg border border-slate-200 bg-white p-4";

function Totals({ totals, testId }: { totals: AnalyticsOverviewView["revenue"]["totals"]["totals"]; testId: string }) {
  return (
    <p className="mt-1 text-2xl font-semibold" data-testid={testId}>
      {totals.length === 0 ? "0" : totals.map((t) => `${formatTokenAmount(t.display)} ${t.symbol}`).join(" + ")}
    </p>
  );
}

function Funnel({ funnel }: { funnel: AnalyticsOverviewView["funnel"] }) {
  const steps = [
    { label: "402 challenges", value: funnel.challenges, id: "challenges" },
    { label: "Verified", value: funnel.verified, id: "verified" },
    { label: "Settled", value: funnel.settled, id: "settled" },
  ];
  const widest = Math.max(1, ...steps.map((s) => s.value));
  return (
    <section aria-labelledby="funnel-heading" className={card}>
      <h2 id="funnel-heading" className="font-semibold">
        Payment funnel
      </h2>
      <ol className="mt-3 space-y-2 text-sm">
        {steps.map((s) => (
          <li key={s.id}>
            <div className="flex justify-between">
              <span>{s.label}</span>
              <span className="font-semibold" data-testid={`funnel-${s.id}`}>
                {formatCount(s.value)}
              </span>
            </div>
            <div aria-hidden="true" className="mt-1 h-2 rounded bg-slate-100">
              <div className="h-2 rounded bg-emerald-700" style={{ width: `${(100 * s.value) / widest}%` }} />
            </div>
          </li>
        ))}
      </ol>
      <p className="mt-3 text-sm text-slate-700">
        Refused before payment: <span data-testid="funnel-refused">{formatCount(funnel.refused)}</span> · failed after
        verification: <span data-testid="funnel-failed">{formatCount(funnel.failed)}</span> (upstream{" "}
        {formatCount(funnel.upstreamFailures)})
      </p>
      {funnel.failures.length > 0 ? (
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">Failures by reason</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Stage</th>
              <th scope="col" className="text-right">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {funnel.failures.map((f) => (
              <tr key={`${f.stage}-${f.reason}`}>
                <td className="font-mono text-xs">{f.reason}</td>
                <td>{f.stage === "refused" ? "before payment" : "after verification"}</td>
                <td className="text-right">{formatCount(f.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function TopPayers({ payers }: { payers: AnalyticsOverviewView["topPayers"]["payers"] }) {
  return (
    <section aria-labelledby="payers-heading" className={card}>
      <h2 id="payers-heading" className="font-semibold">
        Top payers
      </h2>
      {payers.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">No settled payments in this range yet.</p>
      ) : (
        <table className="mt-2 w-full text-left text-sm">
          <caption className="sr-only">Payers with the most settled, in this range</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col">Payer</th>
              <th scope="col">Chain</th>
              <th scope="col" className="text-right">
                Payments
              </th>
              <th scope="col" className="text-right">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {payers.map((p) => (
              <tr key={`${p.payer}-${p.chain}-${p.asset}`}>
                <td className="font-mono text-xs" title={p.payer}>
                  {p.payer.length > 14 ? `${p.payer.slice(0, 8)}…${p.payer.slice(-4)}` : p.payer}
                </td>
                <td>
                  {p.chain}
                  {p.testnet ? " (test)" : ""}
                </td>
                <td className="text-right">{formatCount(p.payments)}</td>
                <td className="text-right">
                  {formatTokenAmount(p.display)} {p.symbol ?? "units"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Seller analytics for a range (24 h / 7 d / 30 d): revenue over time, the funnel, latency, per-offer rows
 * and top payers from `analytics.overview`, plus the live ticker. With `offer`, the same for one offer.
 * The live stream (LiveUpdates) refreshes it when a payment settles.
 */
export function AnalyticsPanel({ offer }: { offer?: string }) {
  const trpc = useTRPC();
  const now = useNow(1_000);
  const [since, setSince] = useState<Since>("24h");
  const overview = useQuery(
    trpc.analytics.overview.queryOptions({ since, ...(offer ? { offer } : {}) }, { refetchInterval: 30_000 }),
  );
  const data = overview.data;
  const testChains = new Set((data?.revenue.points ?? []).filter((p) => p.testnet).map((p) => p.chain as string));
  const decimals = data?.revenue.points[0]?.decimals ?? findChainByName("base")?.usdc.decimals ?? 6;
  const symbol = data?.revenue.points[0]?.symbol ?? "USDC";
  return (
    <div className="space-y-4" data-testid="analytics">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-xl font-semibold">{offer ? "Analytics" : "Revenue and traffic"}</h2>
        <fieldset className="flex gap-1 text-sm">
          <legend className="sr-only">Range</legend>
          {ranges.map((r) => (
            <label
              key={r.since}
              className={`cursor-pointer rounded border px-3 py-1 ${since === r.since ? "border-emerald-800 bg-emerald-800 text-white" : "border-slate-300 bg-white text-slate-900"}`}
            >
              <input
                type="radio"
                name={`range-${offer ?? "all"}`}
                value={r.since}
                checked={since === r.since}
                onChange={() => setSince(r.since)}
                className="sr-only"
              />
              {r.label}
            </label>
          ))}
        </fieldset>
      </div>
      {overview.error ? (
        <ErrorMessage title="Could not load analytics" error={describeError(overview.error)} />
      ) : !data ? (
        <p role="status">Loading analytics…</p>
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-3">
            <div className={card}>
              <p className="text-xs uppercase tracking-wide text-slate-600">Revenue</p>
              <Totals totals={data.revenue.totals.totals} testId="revenue-total" />
              <p className="text-xs text-slate-600">real chains, this range</p>
            </div>
            <div className={card}>
              <p className="text-xs uppercase tracking-wide text-slate-600">Test chains (not revenue)</p>
              <Totals totals={data.revenue.totals.testTotals} testId="revenue-test-total" />
              <p className="text-xs text-slate-600">devnet and testnets, this range</p>
            </div>
            <div className={card}>
              <p className="text-xs uppercase tracking-wide text-slate-600">Latency p50 / p95</p>
              <p className="mt-1 text-lg font-semibold" data-testid="latency">
                {formatMs(data.latency.delivery.p50Ms)} / {formatMs(data.latency.delivery.p95Ms)}
              </p>
              <p className="text-xs text-slate-600">
                delivery · settlement {formatMs(data.latency.settlement.p50Ms)} /{" "}
                {formatMs(data.latency.settlement.p95Ms)}
              </p>
            </div>
          </div>
          <div className={card}>
            <RevenueChart
              buckets={bucketRevenueSeries({
                points: data.revenue.points,
                from: data.range.from,
                now,
                bucket: data.range.bucket,
              })}
              bucket={data.range.bucket}
              decimals={decimals}
              symbol={symbol}
              title={`Settled per ${data.range.bucket}, per chain`}
              testChains={testChains}
            />
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <Funnel funnel={data.funnel} />
            <LiveTicker now={now} {...(offer ? { offer } : {})} />
          </div>
          {offer ? null : (
            <section aria-labelledby="offer-stats-heading" className={card}>
              <h2 id="offer-stats-heading" className="font-semibold">
                Offers
              </h2>
              {data.offers.offers.length === 0 ? (
                <p className="mt-2 text-sm text-slate-700">
                  No traffic in this range. Create an offer and share its URL; requests, payments and errors show up
                  here per offer.
                </p>
              ) : (
                <div className="mt-2 overflow-x-auto">
                  <OfferStatsTable offers={data.offers.offers} now={now} />
                </div>
              )}
            </section>
          )}
          <TopPayers payers={data.topPayers.payers} />
        </>
      )}
    </div>
  );
}
