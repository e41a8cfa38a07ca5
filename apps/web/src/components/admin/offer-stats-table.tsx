"use client";

import Link from "next/link";
import { useState } from "react";
import type { OfferStatsView } from "../../lib/admin-types.ts";
import { formatCount, formatMs, formatPercent, formatTokenAmount } from "../../lib/format-number.ts";
import { formatAgo } from "../../lib/format-time.ts";

type SortKey = "offer" | "revenue" | "settled" | "conversion" | "p95" | "errors" | "last";

const columns: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: "offer", label: "Offer", numeric: false },
  { key: "revenue", label: "Revenue", numeric: true },
  { key: "settled", label: "Settled", numeric: true },
  { key: "conversion", label: "Conversion", numeric: true },
  { key: "p95", label: "p95 delivery", numeric: true },
  { key: "errors", label: "Errors", numeric: true },
  { key: "last", label: "Last settlement", numeric: true },
];

/** Atomic revenue of real chains first (test money sorts below any real money). */
function revenueKey(o: OfferStatsView): bigint {
  const real = o.revenue.filter((r) => !r.testnet).reduce((a, r) => a + BigInt(r.amount), 0n);
  const test = o.revenue.filter((r) => r.testnet).reduce((a, r) => a + BigInt(r.amount), 0n);
  return real * 2n ** 128n + test;
}

function compare(a: OfferStatsView, b: OfferStatsView, key: SortKey): number {
  switch (key) {
    case "offer":
      return a.offer.localeCompare(b.offer);
    case "revenue": {
      const [x, y] = [revenueKey(a), revenueKey(b)];
      return x === y ? 0 : x < y ? -1 : 1;
    }
    case "settled":
      return a.settled - b.settled;
    case "conversion":
      return (a.conversion ?? -1) - (b.conversion ?? -1);
    case "p95":
      return (a.delivery.p95Ms ?? -1) - (b.delivery.p95Ms ?? -1);
    case "errors":
      return a.errors - b.errors;
    case "last":
      return (a.lastSettledAt ? Date.parse(a.lastSettledAt) : 0) - (b.lastSettledAt ? Date.parse(b.lastSettledAt) : 0);
  }
}

/** Per-offer analytics, sortable by any column (click a header; again to reverse). */
export function OfferStatsTable({ offers, now }: { offers: OfferStatsView[]; now: number }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "revenue", descending: true });
  const sorted = [...offers].sort((a, b) => (sort.descending ? -1 : 1) * compare(a, b, sort.key));
  return (
    <table className="w-full text-left text-sm" data-testid="offer-stats">
      <caption className="sr-only">Per-offer analytics (sortable)</caption>
      <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600">
        <tr>
          {columns.map((c) => (
            <th
              key={c.key}
              scope="col"
              className={`py-2 pr-3 ${c.numeric ? "text-right" : ""}`}
              aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"}
            >
              <button
                type="button"
                className="uppercase hover:underline"
                onClick={() =>
                  setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.numeric }))
                }
              >
                {c.label}
                <span aria-hidden="true">{sort.key === c.key ? (sort.descending ? " ↓" : " ↑") : ""}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((o) => (
          <tr key={o.offer} className="border-b border-slate-100">
            <th scope="row" className="py-2 pr-3 font-medium">
              <Link href={`/admin/offers/${encodeURIComponent(o.offer)}`} className="text-emerald-800 underline">
                {o.offer}
              </Link>
            </th>
            <td className="py-2 pr-3 text-right">
              {o.revenue.length === 0
                ? "–"
                : o.revenue.map((r) => (
                    <span key={`${r.chain}-${r.asset}`} className="block">
                      {formatTokenAmount(r.display)} {r.symbol ?? "units"}
                      {r.testnet ? <span className="text-slate-600"> (test)</span> : null}
                    </span>
                  ))}
            </td>
            <td className="py-2 pr-3 text-right">{formatCount(o.settled)}</td>
            <td className="py-2 pr-3 text-right">{formatPercent(o.conversion)}</td>
            <td className="py-2 pr-3 text-right">{formatMs(o.delivery.p95Ms)}</td>
            <td className="py-2 pr-3 text-right">{formatCount(o.errors)}</td>
            <td className="py-2 pr-3 text-right">{o.lastSettledAt ? formatAgo(o.lastSettledAt, now) : "–"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
