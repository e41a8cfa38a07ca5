import type { OutboundPaymentView } from "@tollgate/core/agents/spend-policy";
import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import { formatTimestamp } from "../../lib/format-time.ts";

const stateTone: Record<OutboundPaymentView["state"], string> = {
  reserved: "text-sky-900 bg-sky-100",
  signed: "text-sky-900 bg-sky-100",
  settled: "text-emerald-900 bg-emerald-100",
  failed: "text-red-900 bg-red-100",
  refused: "text-amber-950 bg-amber-100",
};

/** Payments the seller's agents made (direction `outbound`): spend, shown beside the income. */
export function OutboundPaymentsTable({ payments, caption }: { payments: OutboundPaymentView[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Time
            </th>
            <th scope="col" className="px-3 py-2">
              Direction
            </th>
            <th scope="col" className="px-3 py-2">
              Agent
            </th>
            <th scope="col" className="px-3 py-2">
              Amount
            </th>
            <th scope="col" className="px-3 py-2">
              State
            </th>
            <th scope="col" className="px-3 py-2">
              Pay to
            </th>
            <th scope="col" className="px-3 py-2">
              Transaction
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {payments.map((p) => (
            <tr key={p.id} data-testid="outbound-payment-row">
              <td className="whitespace-nowrap px-3 py-2">{formatTimestamp(p.createdAt)}</td>
              <td className="px-3 py-2">
                <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-900">outbound</span>
              </td>
              <td className="px-3 py-2">{p.agent}</td>
              <td className="whitespace-nowrap px-3 py-2 font-mono">
                {formatAtomicAmount({ amount: p.amount, decimals: 6 })}
              </td>
              <td className="px-3 py-2">
                <span className={`rounded px-1.5 py-0.5 text-xs ${stateTone[p.state]}`} data-state={p.state}>
                  {p.state}
                  {p.reason ? ` · ${p.reason}` : ""}
                </span>
              </td>
              <td className="px-3 py-2 font-mono text-xs" title={p.url}>
                {p.payTo ? `${p.payTo.slice(0, 8)}…${p.payTo.slice(-4)}` : "—"}
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                {p.txHash ? `${p.txHash.slice(0, 10)}…${p.txHash.slice(-6)}` : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
