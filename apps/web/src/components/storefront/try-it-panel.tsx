"use client";

import { useMutation } from "@tanstack/react-query";
import type { AppRouter } from "@tollgate/api/trpc";
import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import type { inferRouterOutputs } from "@trpc/server";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";

type TryResult = inferRouterOutputs<AppRouter>["storefront"]["tryDevnetOffer"];
type TryStep = TryResult["steps"][number];

function StepView({ step, decimals, symbol }: { step: TryStep; decimals: number; symbol: string }) {
  if (step.kind === "challenge") {
    const first = step.accepts[0];
    return (
      <>
        <p className="font-semibold text-slate-900">402 Payment Required received</p>
        {first ? (
          <p className="mt-1 text-sm text-slate-700">
            Asked for {formatAtomicAmount({ amount: first.amount, decimals })} {symbol} ({first.amount} atomic) on{" "}
            <span className="font-mono">{first.network}</span>, scheme {first.scheme}, to{" "}
            <span className="break-all font-mono">{first.payTo}</span>.
          </p>
        ) : null}
      </>
    );
  }
  if (step.kind === "signed") {
    return (
      <>
        <p className="font-semibold text-slate-900">Authorization signed</p>
        <p className="mt-1 text-sm text-slate-700">
          The devnet buyer <span className="break-all font-mono">{step.payer}</span> signed a transfer of {step.value}{" "}
          atomic units (nonce <span className="break-all font-mono">{step.nonce.slice(0, 18)}…</span>) and the request
          was sent again with it.
        </p>
      </>
    );
  }
  return (
    <>
      <p className="font-semibold text-slate-900" data-testid="try-status">
        {step.status} {step.status === 200 ? "OK" : ""} — response received
      </p>
      {step.txHash ? (
        <p className="mt-1 text-sm text-slate-700">
          Settled on chain: transaction{" "}
          <span className="break-all font-mono" data-testid="try-tx-hash">
            {step.txHash}
          </span>
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-700">No settlement receipt came back.</p>
      )}
      <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
        <code>{step.body}</code>
      </pre>
    </>
  );
}

/** Try it: pays a devnet offer with the devnet's test buyer (server side) and shows each x402 step. */
export function TryItPanel({ name, decimals, symbol }: { name: string; decimals: number; symbol: string }) {
  const trpc = useTRPC();
  const run = useMutation(trpc.storefront.tryDevnetOffer.mutationOptions());
  const result = run.data;
  return (
    <section aria-labelledby="try-heading" className="rounded-lg border border-emerald-200 bg-emerald-50/50 p-5">
      <h2 id="try-heading" className="text-xl font-semibold">
        Try it
      </h2>
      <p className="mt-2 text-sm text-slate-700">
        This offer is on the local devnet, so this page can pay with the devnet's test buyer account: test money, a real
        x402 payment through the gateway.
      </p>
      <button
        type="button"
        onClick={() => run.mutate({ name })}
        disabled={run.isPending}
        className="mt-4 rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:cursor-wait disabled:bg-slate-500"
      >
        {run.isPending ? "Paying…" : "Pay and call with the devnet buyer"}
      </button>
      <div aria-live="polite" className="mt-4">
        {run.error ? (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
            {describeError(run.error).message}
          </p>
        ) : null}
        {result ? (
          <>
            <p className="text-sm text-slate-700">
              <span className="font-mono">{result.method}</span>{" "}
              <span className="break-all font-mono">{result.url}</span>
            </p>
            <ol aria-label="Payment steps" className="mt-3 space-y-3">
              {result.steps.map((step, index) => (
                <li key={`${step.kind}-${index}`} className="rounded-md border border-slate-200 bg-white p-3">
                  <StepView step={step} decimals={decimals} symbol={symbol} />
                </li>
              ))}
            </ol>
            {result.error ? (
              <p role="alert" className="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
                {result.error}
              </p>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
