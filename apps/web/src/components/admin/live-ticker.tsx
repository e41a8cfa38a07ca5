"use client";

import { findChainByName } from "@tollgate/core/chains/find-chain";
import type { TollgateEvent } from "@tollgate/core/events/tollgate-event";
import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { formatTokenAmount } from "../../lib/format-number.ts";
import { formatAgo } from "../../lib/format-time.ts";
import { useTRPC } from "../../trpc/react.tsx";

type PaymentEvent = Extract<TollgateEvent, { type: "payment.changed" }>;
const keep = 8;

function describeAmount(event: PaymentEvent): string {
  const chain = findChainByName(event.chain);
  if (!chain) return `${event.amount} units`;
  return `${formatTokenAmount(formatAtomicAmount({ amount: event.amount, decimals: chain.usdc.decimals }))} ${chain.usdc.symbol}`;
}

/** Payments as they arrive over the live stream (SSE), newest first; `offer` narrows it to one offer. */
export function LiveTicker({ offer, now }: { offer?: string; now: number }) {
  const trpc = useTRPC();
  const [events, setEvents] = useState<PaymentEvent[]>([]);
  useSubscription(
    trpc.events.stream.subscriptionOptions(undefined, {
      onData: (event) => {
        if (event.type !== "payment.changed" || (offer && event.offerName !== offer)) return;
        setEvents((list) => [event, ...list.filter((e) => e.paymentId !== event.paymentId)].slice(0, keep));
      },
    }),
  );
  return (
    <section aria-labelledby="ticker-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="ticker-heading" className="font-semibold">
        Live payments
      </h2>
      <ol aria-live="polite" className="mt-2 space-y-1 text-sm" data-testid="live-ticker">
        {events.length === 0 ? (
          <li className="text-slate-700">Waiting for payments… they appear here the moment they settle.</li>
        ) : (
          events.map((e) => (
            <li key={e.paymentId} className="flex flex-wrap justify-between gap-2">
              <span>
                <span className="font-medium">{e.offerName}</span> · {describeAmount(e)} on {e.chain}
              </span>
              <span className={e.state === "settled" ? "text-emerald-800" : "text-red-800"}>
                {e.state} · {formatAgo(e.at, now)}
              </span>
            </li>
          ))
        )}
      </ol>
    </section>
  );
}
