import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import type { AdminPayment } from "../../lib/admin-types.ts";
import { formatTimestamp } from "../../lib/format-time.ts";
import { PaymentTableShell, shortHex } from "./payment-table-shell.tsx";

/** A badge colour for every payment state (a new state fails the typecheck until it has one). */
const stateTone: Record<AdminPayment["state"], string> = {
  verified: "text-slate-800 bg-slate-100",
  delivered: "text-slate-800 bg-slate-100",
  // Broadcast, not yet confirmed: recovery will settle it or abandon it.
  settlement_pending: "text-sky-900 bg-sky-100",
  settled: "text-emerald-900 bg-emerald-100",
  settle_failed: "text-red-900 bg-red-100",
  upstream_failed: "text-amber-950 bg-amber-100",
  rejected: "text-red-900 bg-red-100",
  abandoned: "text-slate-800 bg-slate-200",
};

const columns = ["Time", "Offer", "Amount", "Chain", "State", "Payer", "Transaction"] as const;

/** Payment rows (USDC has 6 decimals on every built-in chain). */
export function PaymentsTable({ payments, caption }: { payments: AdminPayment[]; caption: string }) {
  return (
    <PaymentTableShell caption={caption} columns={columns}>
      {payments.map((p) => (
        <tr key={p.id} data-testid="payment-row">
          <td className="whitespace-nowrap px-3 py-2">{formatTimestamp(p.createdAt)}</td>
          <td className="px-3 py-2">{p.offerName}</td>
          <td className="whitespace-nowrap px-3 py-2 font-mono">
            {formatAtomicAmount({ amount: p.amount, decimals: 6 })}
          </td>
          <td className="px-3 py-2">
            {p.chain}
            {p.testnet ? <span className="ml-1 text-xs text-slate-600">(test)</span> : null}
          </td>
          <td className="px-3 py-2">
            <span
              className={`rounded px-1.5 py-0.5 text-xs ${stateTone[p.state]}`}
              data-state={p.state}
              title={p.message ?? undefined}
            >
              {p.state}
              {p.reason ? ` · ${p.reason}` : ""}
            </span>
          </td>
          <td className="px-3 py-2 font-mono text-xs">{shortHex(p.payer, 8, 4)}</td>
          <td className="px-3 py-2 font-mono text-xs">{shortHex(p.txHash, 10, 6)}</td>
        </tr>
      ))}
    </PaymentTableShell>
  );
}
