"use client";

import { useQuery } from "@tanstack/react-query";
import { paymentStates } from "@tollgate/core/gateway/payment-state";
import type { ListPaymentsInput } from "@tollgate/core/payments/payment-schemas";
import { type FormEvent, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, secondaryButtonClass } from "./form-field.tsx";
import { OutboundPaymentsTable } from "./outbound-payments-table.tsx";
import { PaymentsTable } from "./payments-table.tsx";

const pageSize = 50;

type Filters = { offer?: string; state?: string; chain?: string; payer?: string; from?: string; to?: string };
/** Income (buyers paying the seller's offers) and outbound (the seller's agents paying others). */
type Direction = "all" | "income" | "outbound";

/** `datetime-local` values (the viewer's time zone) as RFC 3339 instants. */
function toInstant(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function readFilters(form: HTMLFormElement): Filters {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
  const filters: Filters = {
    offer: text("offer"),
    state: text("state"),
    chain: text("chain"),
    payer: text("payer"),
    from: toInstant(text("from") ?? ""),
    to: toInstant(text("to") ?? ""),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
}

/** The whole ledger: filters that combine, keyset pages, and a CSV export of everything the filters match. */
export function PaymentsBrowser({ initialOffer }: { initialOffer?: string }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>(initialOffer ? { offer: initialOffer } : {});
  const [direction, setDirection] = useState<Direction>("all");
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery(
    trpc.payments.list.queryOptions({
      limit: pageSize,
      // The server validates every filter (a bad payer or state comes back as a field error).
      ...(filters as Omit<ListPaymentsInput, "limit" | "cursor">),
      ...(cursor ? { cursor } : {}),
    }),
  );

  // The agents' outbound payments (newest first); the offer/state/payer filters describe income only.
  const outbound = useQuery(trpc.agents.payments.queryOptions({ limit: pageSize }, { refetchInterval: 5_000 }));

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = String(new FormData(event.currentTarget).get("direction") ?? "all");
    setDirection(chosen === "income" || chosen === "outbound" ? chosen : "all");
    setFilters(readFilters(event.currentTarget));
    setCursors([undefined]);
  }

  const exportHref = `/admin/api/payments.csv?${new URLSearchParams(filters as Record<string, string>).toString()}`;
  const rows = page.data?.payments ?? [];
  const filtered = Object.keys(filters).length > 0;
  const outboundRows = outbound.data ?? [];
  const showIncome = direction !== "outbound";
  // Shown when asked for, or beside the income whenever an agent has paid something.
  const showOutbound = direction === "outbound" || (direction === "all" && outboundRows.length > 0);
  return (
    <section aria-labelledby="payments-heading" className="space-y-4">
      <h1 id="payments-heading" className="text-2xl font-semibold">
        Payments
      </h1>
      <form onSubmit={applyFilters} aria-label="Filter payments" className="flex flex-wrap items-end gap-3">
        <FormField id="filter-direction" label="Direction">
          {(aria) => (
            <select {...aria} name="direction" defaultValue="all" className={inputClass}>
              <option value="all">all</option>
              <option value="income">income</option>
              <option value="outbound">outbound</option>
            </select>
          )}
        </FormField>
        <FormField id="filter-offer" label="Offer">
          {(aria) => (
            <input {...aria} name="offer" defaultValue={initialOffer} placeholder="any" className={inputClass} />
          )}
        </FormField>
        <FormField id="filter-state" label="State">
          {(aria) => (
            <select {...aria} name="state" defaultValue="" className={inputClass}>
              <option value="">any</option>
              {paymentStates.map((state) => (
                <option key={state} value={state}>
                  {state}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id="filter-chain" label="Chain">
          {(aria) => <input {...aria} name="chain" placeholder="any" className={inputClass} />}
        </FormField>
        <FormField id="filter-payer" label="Payer">
          {(aria) => <input {...aria} name="payer" placeholder="0x…" className={inputClass} />}
        </FormField>
        <FormField id="filter-from" label="From">
          {(aria) => <input {...aria} name="from" type="datetime-local" className={inputClass} />}
        </FormField>
        <FormField id="filter-to" label="Until">
          {(aria) => <input {...aria} name="to" type="datetime-local" className={inputClass} />}
        </FormField>
        <button type="submit" className={secondaryButtonClass}>
          Filter
        </button>
        <a href={exportHref} download className={secondaryButtonClass}>
          Export CSV
        </a>
      </form>
      {showIncome ? (
        <section aria-label="Income" className="space-y-2">
          {direction === "all" && showOutbound ? <h2 className="text-lg font-semibold">Income</h2> : null}
          {page.error ? (
            <ErrorMessage title="Could not load payments" error={describeError(page.error)} />
          ) : page.isPending ? (
            <p role="status">Loading payments…</p>
          ) : rows.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
              {filtered
                ? "No payments match these filters. Clear a filter or widen the time range."
                : "No payments yet. They appear here live as buyers pay; share an offer's URL to get the first one."}
            </p>
          ) : (
            <PaymentsTable payments={rows} caption="Payments" />
          )}
        </section>
      ) : null}
      {showOutbound ? (
        <section aria-labelledby="outbound-payments-heading" className="space-y-2">
          <h2 id="outbound-payments-heading" className="text-lg font-semibold">
            Outbound (agent spend)
          </h2>
          {outbound.error ? (
            <ErrorMessage title="Could not load outbound payments" error={describeError(outbound.error)} />
          ) : outbound.isPending ? (
            <p role="status">Loading outbound payments…</p>
          ) : outboundRows.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
              No outbound payments yet. They appear here when an agent pays for a service (tollgate agents pay).
            </p>
          ) : (
            <OutboundPaymentsTable payments={outboundRows} caption="Outbound payments" />
          )}
        </section>
      ) : null}
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
