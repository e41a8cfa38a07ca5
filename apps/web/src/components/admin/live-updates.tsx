"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { TollgateEvent } from "@tollgate/core/events/tollgate-event";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useState } from "react";
import { useTRPC } from "../../trpc/react.tsx";

/**
 * Listens to `events.stream` (SSE, authenticated by the session cookie) and refreshes what an event
 * changes: a payment refreshes payments, revenue and offers (last settlement); a condition or offer change
 * refreshes offers. Shows the stream's state and the latest payment.
 */
export function LiveUpdates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [last, setLast] = useState<TollgateEvent | null>(null);
  const subscription = useSubscription(
    trpc.events.stream.subscriptionOptions(undefined, {
      onData: (event) => {
        if (event.type === "payment.changed") {
          setLast(event);
          void queryClient.invalidateQueries({ queryKey: trpc.payments.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.analytics.pathKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
        } else {
          void queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
        }
      },
    }),
  );
  const connected = subscription.status === "pending";
  return (
    <p className="flex items-center gap-2 text-xs text-slate-600" data-testid="live-status">
      <span
        aria-hidden="true"
        className={`inline-block size-2 rounded-full ${connected ? "bg-emerald-600" : subscription.status === "error" ? "bg-red-600" : "bg-slate-400"}`}
      />
      <span>{connected ? "Live" : subscription.status === "error" ? "Live updates disconnected" : "Connecting…"}</span>
      {last?.type === "payment.changed" ? (
        <span role="status">
          · latest payment: {last.offerName} ({last.state})
        </span>
      ) : null}
    </p>
  );
}
