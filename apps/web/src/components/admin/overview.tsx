"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { RevenueReportView } from "../../lib/admin-types.ts";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { ServerInfoCard } from "./server-info-card.tsx";

function RevenueLines({ lines, label }: { lines: RevenueReportView["lines"]; label: string }) {
  if (lines.length === 0) return <p className="text-sm text-slate-600">No settled payments on {label}.</p>;
  return (
    <ul className="space-y-1 text-sm">
      {lines.map((l) => (
        <li key={`${l.chain}-${l.asset}`}>
          <span className="font-semibold">
            {l.display ?? l.amount} {l.symbol ?? l.asset}
          </span>{" "}
          on {l.chain} · {l.payments} payments
        </li>
      ))}
    </ul>
  );
}

/** Revenue (real chains apart from test chains) and server facts. */
export function Overview() {
  const trpc = useTRPC();
  const revenue = useQuery(trpc.payments.revenue.queryOptions());
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 30_000 }));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Overview</h1>
      <section aria-labelledby="revenue-heading" className="grid gap-4 sm:grid-cols-2">
        <h2 id="revenue-heading" className="sr-only">
          Revenue
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white p-5" data-testid="revenue-real">
          <h3 className="font-semibold">Revenue</h3>
          {revenue.data ? (
            <>
              <p className="mt-2 text-2xl font-semibold">
                {revenue.data.totals.length === 0
                  ? "0 USDC"
                  : revenue.data.totals.map((t) => `${t.display} ${t.symbol}`).join(" + ")}
              </p>
              <div className="mt-2">
                <RevenueLines lines={revenue.data.lines} label="real chains" />
              </div>
            </>
          ) : revenue.error ? (
            <ErrorMessage title="Could not load revenue" error={describeError(revenue.error)} />
          ) : (
            <p role="status">Loading…</p>
          )}
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-5" data-testid="revenue-test">
          <h3 className="font-semibold">Test chains (not revenue)</h3>
          {revenue.data ? (
            <>
              <p className="mt-2 text-2xl font-semibold text-slate-700">
                {revenue.data.testTotals.length === 0
                  ? "0 USDC"
                  : revenue.data.testTotals.map((t) => `${t.display} ${t.symbol}`).join(" + ")}
              </p>
              <div className="mt-2">
                <RevenueLines lines={revenue.data.testLines} label="test chains" />
              </div>
            </>
          ) : null}
        </div>
      </section>
      <p className="text-sm">
        <Link href="/admin/offers" className="text-emerald-800 underline underline-offset-4">
          Manage offers
        </Link>{" "}
        ·{" "}
        <Link href="/admin/payments" className="text-emerald-800 underline underline-offset-4">
          All payments
        </Link>
      </p>
      <section aria-labelledby="server-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="server-heading" className="text-xl font-semibold">
          Server
        </h2>
        <div className="mt-4">
          {info.data ? (
            <ServerInfoCard info={info.data} fetchedAt={info.dataUpdatedAt} />
          ) : info.error ? (
            <ErrorMessage title="Could not load server info" error={describeError(info.error)} />
          ) : (
            <p role="status">Loading server info…</p>
          )}
        </div>
      </section>
    </div>
  );
}
