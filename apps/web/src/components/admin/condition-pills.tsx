import type { AdminCondition } from "../../lib/admin-types.ts";

const tone: Record<AdminCondition["status"], string> = {
  True: "bg-emerald-100 text-emerald-900",
  False: "bg-red-100 text-red-900",
  Unknown: "bg-slate-100 text-slate-800",
};

const short: Record<string, string> = {
  UpstreamHealthy: "Upstream",
  ModelReady: "Model",
  PaymentGateReady: "Gate",
  RoutePublished: "Route",
  Registered: "Registered",
  Draining: "Drain",
};

/** The conditions at a glance: one pill per condition (Ready aside), the reason when not True. */
export function ConditionPills({ conditions }: { conditions: AdminCondition[] }) {
  const shown = conditions.filter((c) => c.type !== "Ready");
  if (shown.length === 0) return <span className="text-xs text-slate-600">not reconciled yet</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Conditions">
      {shown.map((c) => (
        <li key={c.type}>
          <span className={`inline-block rounded px-1.5 py-0.5 text-xs ${tone[c.status]}`} title={c.message}>
            {short[c.type] ?? c.type}
            {c.status === "True" ? "" : `: ${c.reason}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Ready / not ready with its reason. */
export function ReadyBadge({ ready }: { ready: AdminCondition | null }) {
  if (!ready)
    return <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-800">Pending</span>;
  return ready.status === "True" ? (
    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900">Ready</span>
  ) : (
    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950" title={ready.message}>
      Not ready: {ready.reason}
    </span>
  );
}
