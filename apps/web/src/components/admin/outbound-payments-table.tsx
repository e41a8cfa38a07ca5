import type { OutboundPaymentView } from "@tollgate/core/agents/spend-policy";
import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import { formatTimestamp } from "../../lib/format-time.ts";
import { PaymentTableShell, shortHex } from "./payment-table-shell.tsx";

const stateTone: Record<OutboundPaymentView["state"], string> = {
  reserved: "text-sky-900 bg-sky-100",
  signed: "text-sky-900 bg-sky-100",
  settled: "text-emerald-900 bg-emerald-100",
  failed: "text-red-900 bg-red-100",
  refused: "text-amber-950 bg-amber-100",
};

const columns = ["Time", "Direction", "Agent", "Amount", "State", "Pay to", "Transaction"] as const;

/** Payments the seller's agents made (direction `outbound`): spend, shown beside the income. */
export function OutboundPaymentsTable({ payments, caption }: { payments: OutboundPaymentView[]; caption: string }) {
  return (
    <PaymentTableShell caption={caption} columns={columns}>
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
            {shortHex(p.payTo, 8, 4)}
          </td>
          <td className="px-3 py-2 font-mono text-xs">{shortHex(p.txHash, 10, 6)}</td>
        </tr>
      ))}
    </PaymentTableShell>
  );
}
