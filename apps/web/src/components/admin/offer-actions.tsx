"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AdminOffer } from "../../lib/admin-types.ts";
import { describeError } from "../../lib/describe-error.ts";
import { getOfferDisplayState } from "../../lib/offer-display-state.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { dangerButtonClass, inputClass, primaryButtonClass, secondaryButtonClass } from "./form-field.tsx";

type Pending = "stop" | "delete" | "register" | null;

/** Stop (grace or now), start, delete and register, each behind a confirmation, with progress and result. */
export function OfferActions({ offer }: { offer: AdminOffer }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Pending>(null);
  const [graceMode, setGraceMode] = useState<"grace" | "now">("grace");
  const [graceSeconds, setGraceSeconds] = useState("3600");
  const [result, setResult] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
  const done = (message: string) => () => {
    setConfirming(null);
    setResult(message);
    void refresh();
  };
  const stop = useMutation(
    trpc.offers.stop.mutationOptions({
      onSuccess: (o) => done(o.drainEndsAt ? `Stopped: draining until ${o.drainEndsAt}.` : "Stopped now.")(),
    }),
  );
  const start = useMutation(trpc.offers.start.mutationOptions({ onSuccess: done("Started: the offer serves again.") }));
  const remove = useMutation(
    trpc.offers.delete.mutationOptions({
      onSuccess: () => {
        void refresh();
        router.push("/admin/offers");
      },
    }),
  );
  const register = useMutation(
    trpc.identity.register.mutationOptions({
      onSuccess: (r) =>
        done(
          r.identity?.agentId
            ? `Registered on ${r.identity.chain}: agent #${r.identity.agentId}${r.identity.lastTxHash ? ` (tx ${r.identity.lastTxHash})` : ""}.`
            : "Registration published (off chain).",
        )(),
    }),
  );
  const error = stop.error ?? start.error ?? remove.error ?? register.error;
  const state = getOfferDisplayState(offer, Date.now());
  if (offer.state === "deleted")
    return <p className="text-sm text-slate-700">This offer was deleted; it is kept as history.</p>;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {offer.state === "active" ? (
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirming("stop")}>
            Stop…
          </button>
        ) : (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={start.isPending}
            onClick={() => start.mutate({ name: offer.name })}
          >
            {start.isPending ? "Starting…" : state === "draining" ? "Cancel drain (start)" : "Start"}
          </button>
        )}
        <button type="button" className={secondaryButtonClass} onClick={() => setConfirming("register")}>
          Register…
        </button>
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => router.push(`/admin/offers/${offer.name}/edit`)}
        >
          Edit
        </button>
        <button type="button" className={dangerButtonClass} onClick={() => setConfirming("delete")}>
          Delete…
        </button>
      </div>

      {confirming === "stop" ? (
        <section
          aria-labelledby="confirm-stop"
          className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4"
        >
          <p id="confirm-stop" className="font-semibold text-amber-950">
            Stop {offer.name}?
          </p>
          <fieldset className="space-y-2 text-sm">
            <legend className="sr-only">How to stop</legend>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="stop-mode"
                checked={graceMode === "grace"}
                onChange={() => setGraceMode("grace")}
              />
              Drain: keep serving paid requests for
              <input
                aria-label="Grace in seconds"
                type="number"
                min={1}
                value={graceSeconds}
                onChange={(e) => setGraceSeconds(e.target.value)}
                className={`${inputClass} w-28`}
              />
              seconds
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="stop-mode" checked={graceMode === "now"} onChange={() => setGraceMode("now")} />
              Stop now (no grace)
            </label>
          </fieldset>
          <div className="flex gap-2">
            <button
              type="button"
              className={primaryButtonClass}
              disabled={stop.isPending}
              onClick={() =>
                stop.mutate({
                  name: offer.name,
                  graceSeconds: graceMode === "now" ? 0 : Math.max(1, Number.parseInt(graceSeconds, 10) || 0),
                })
              }
            >
              {stop.isPending ? "Stopping…" : "Confirm stop"}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </section>
      ) : null}

      {confirming === "delete" ? (
        <section aria-labelledby="confirm-delete" className="space-y-3 rounded-md border border-red-300 bg-red-50 p-4">
          <p id="confirm-delete" className="font-semibold text-red-950">
            Delete {offer.name}? Its route is removed at once and it leaves the storefront. Payments stay in the ledger.
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              className={dangerButtonClass}
              disabled={remove.isPending}
              onClick={() => remove.mutate({ name: offer.name })}
            >
              {remove.isPending ? "Deleting…" : "Confirm delete"}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </section>
      ) : null}

      {confirming === "register" ? (
        <section
          aria-labelledby="confirm-register"
          className="space-y-3 rounded-md border border-sky-300 bg-sky-50 p-4"
        >
          <p id="confirm-register" className="font-semibold text-sky-950">
            Register the seller as an ERC-8004 agent on {offer.payment.chain}? This sends a transaction when the chain
            has a signer; without one, the registration document is published off chain.
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              className={primaryButtonClass}
              disabled={register.isPending}
              onClick={() => register.mutate({ name: offer.name })}
            >
              {register.isPending ? "Waiting for the transaction…" : "Confirm register"}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </section>
      ) : null}

      <div aria-live="polite">
        {result ? (
          <p className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950">
            {result}
          </p>
        ) : null}
        {error ? <ErrorMessage title="The action failed" error={describeError(error)} /> : null}
      </div>
    </div>
  );
}
