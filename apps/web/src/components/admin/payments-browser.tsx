"use client";

import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { AdminPayment } from "../../lib/admin-types.ts";
import { describeError } from "../../lib/describe-error.ts";
import { renderPaymentsCsv } from "../../lib/render-payments-csv.ts";
import { useTRPC, useTRPCClient } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, secondaryButtonClass } from "./form-field.tsx";
import { PaymentsTable } from "./payments-table.tsx";

const pageSize = 50;

/** The whole ledger: filter by offer, page with cursors, export the filtered rows as CSV. */
export function PaymentsBrowser() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [offerInput, setOfferInput] = useState("");
  const [offer, setOffer] = useState<string | undefined>(undefined);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery(
    trpc.payments.list.queryOptions({
      limit: pageSize,
      ...(offer ? { offer } : {}),
      ...(cursor ? { cursor } : {}),
    }),
  );
  const [exporting, setExporting] = useState<string | null>(null);

  function applyFilter(event: FormEvent) {
    event.preventDefault();
    setOffer(offerInput.trim() || undefined);
    setCursors([undefined]);
  }

  async function exportCsv() {
    const rows: AdminPayment[] = [];
    let next: string | undefined;
    try {
      do {
        setExporting(`Exporting… ${rows.length} rows`);
        const result = await client.payments.list.query({
          limit: 500,
          ...(offer ? { offer } : {}),
          ...(next ? { cursor: next } : {}),
        });
        rows.push(...result.payments);
        next = result.nextCursor ?? undefined;
      } while (next);
      const url = URL.createObjectURL(new Blob([renderPaymentsCsv(rows)], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `payments${offer ? `-${offer}` : ""}.csv`;
      link.click();
      URL.revokeObjectURL(url);
      setExporting(`Exported ${rows.length} rows.`);
    } catch (error) {
      setExporting(`Export failed: ${describeError(error).message}`);
    }
  }

  const rows = page.data?.payments ?? [];
  return (
    <section aria-labelledby="payments-heading" className="space-y-4">
      <h1 id="payments-heading" className="text-2xl font-semibold">
        Payments
      </h1>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <form onSubmit={applyFilter} className="flex items-end gap-2">
          <FormField id="filter-offer" label="Offer">
            {(aria) => (
              <input
                {...aria}
                value={offerInput}
                onChange={(e) => setOfferInput(e.target.value)}
                placeholder="any offer"
                className={inputClass}
              />
            )}
          </FormField>
          <button type="submit" className={secondaryButtonClass}>
            Filter
          </button>
        </form>
        <div className="flex items-center gap-3">
          <span aria-live="polite" className="text-sm text-slate-600">
            {exporting}
          </span>
          <button type="button" onClick={() => void exportCsv()} className={secondaryButtonClass}>
            Export CSV
          </button>
        </div>
      </div>
      {page.error ? (
        <ErrorMessage title="Could not load payments" error={describeError(page.error)} />
      ) : page.isPending ? (
        <p role="status">Loading payments…</p>
      ) : rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {offer ? `No payments for "${offer}".` : "No payments yet. They appear here live as buyers pay."}
        </p>
      ) : (
        <PaymentsTable payments={rows} caption="Payments" />
      )}
      <nav aria-label="Pages" className="flex items-center gap-2">
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Newer
        </button>
        <span className="text-sm text-slate-600">Page {cursors.length}</span>
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, page.data?.nextCursor ?? undefined])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
