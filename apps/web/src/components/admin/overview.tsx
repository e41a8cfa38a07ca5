"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { AnalyticsPanel } from "./analytics-panel.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { ServerInfoCard } from "./server-info-card.tsx";

/** Seller analytics (revenue over time, funnel, per-offer rows, top payers, live ticker) and server facts. */
export function Overview() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 30_000 }));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Overview</h1>
      <AnalyticsPanel />
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
