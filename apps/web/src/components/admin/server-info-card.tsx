"use client";

import type { AppRouter } from "@tollgate/api/trpc";
import type { inferRouterOutputs } from "@trpc/server";
import { type ReactNode, useEffect, useState } from "react";
import { formatDuration } from "../../lib/format-duration.ts";

export type ServerInfo = inferRouterOutputs<AppRouter>["system"]["info"];

/** The current time, updated every `intervalMs`, so durations tick without refetching. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 border-t border-slate-100 py-3 first:border-t-0 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

const databaseModeLabel: Record<ServerInfo["database"]["mode"], string> = {
  embedded: "embedded (PostgreSQL in the data directory)",
  external: "external (DATABASE_URL)",
};

/** What `system.info` says about the server, as a description list. */
export function ServerInfoCard({ info, fetchedAt }: { info: ServerInfo; fetchedAt: number }) {
  const now = useNow(1_000);
  const uptime = info.uptimeSeconds + Math.max(0, (now - fetchedAt) / 1_000);
  const startedAt = new Date(info.startedAt);
  return (
    <dl>
      <Row label="Version">
        <span className="font-mono">{info.version}</span>
      </Row>
      <Row label="Started at">
        <time dateTime={info.startedAt}>
          {Number.isNaN(startedAt.getTime()) ? info.startedAt : startedAt.toLocaleString()}
        </time>
      </Row>
      <Row label="Uptime">{formatDuration(uptime)}</Row>
      <Row label="Database mode">{databaseModeLabel[info.database.mode]}</Row>
      <Row label="Database server">
        <span className="font-mono">{info.database.serverVersion}</span>
      </Row>
      <Row label="Migrations applied">{info.migrations.applied}</Row>
      <Row label="Data directory">
        <code className="break-all font-mono">{info.home}</code>
      </Row>
      <Row label="Public base URL">
        <a
          href={info.publicBaseUrl}
          className="break-all font-mono underline decoration-slate-300 underline-offset-4 hover:decoration-slate-600"
        >
          {info.publicBaseUrl}
        </a>
      </Row>
    </dl>
  );
}
