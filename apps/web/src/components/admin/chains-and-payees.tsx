"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { payToSchema } from "@tollgate/core/offers/offer-schemas";
import { useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { formatAgo } from "../../lib/format-time.ts";
import { useNow } from "../../lib/use-now.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { inputClass, secondaryButtonClass } from "./form-field.tsx";

function PayeeEditor({ chain, current }: { chain: string; current: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(current ?? "");
  const [error, setError] = useState<string | null>(null);
  const set = useMutation(
    trpc.payees.set.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.payees.pathKey() }),
      onError: (e) => setError(describeError(e).message),
    }),
  );
  const id = `payee-${chain}`;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="sr-only">
          Default payee on {chain}
        </label>
        <input
          id={id}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          placeholder="0x… (none)"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={`${inputClass} font-mono text-xs`}
        />
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={set.isPending}
          onClick={() => {
            const trimmed = value.trim();
            if (trimmed === "") return set.mutate({ chain: chain as never, payTo: null });
            const parsed = payToSchema.safeParse(trimmed);
            if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "invalid address");
            setError(null);
            set.mutate({ chain: chain as never, payTo: parsed.data });
          }}
        >
          Save
        </button>
      </div>
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Enabled chains with their facilitator's health, and the default payee of each. */
export function ChainsAndPayees() {
  const trpc = useTRPC();
  const now = useNow(5_000);
  const chains = useQuery(trpc.chains.list.queryOptions(undefined, { refetchInterval: 30_000 }));
  const payees = useQuery(trpc.payees.list.queryOptions());
  if (chains.error) return <ErrorMessage title="Could not load chains" error={describeError(chains.error)} />;
  if (!chains.data || !payees.data) return <p role="status">Loading chains…</p>;
  if (chains.data.length === 0) return <p className="text-sm text-slate-600">No chain is enabled on this server.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">Chains</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Chain
            </th>
            <th scope="col" className="px-3 py-2">
              Facilitator
            </th>
            <th scope="col" className="px-3 py-2">
              Default payee
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {chains.data.map((c) => {
            const payee = payees.data.find((p) => p.chain === c.name)?.payTo ?? null;
            const health = c.facilitator.health;
            return (
              <tr key={c.name}>
                <th scope="row" className="px-3 py-2 align-top font-medium">
                  {c.displayName}
                  <span className="block font-mono text-xs font-normal text-slate-600">
                    {c.caip2}
                    {c.testnet ? " · test chain" : ""}
                  </span>
                </th>
                <td className="px-3 py-2 align-top">
                  <span className={health.status === "ok" ? "text-emerald-800" : "text-red-800"}>
                    {health.status === "ok" ? "healthy" : `unavailable: ${health.reason}`}
                  </span>
                  <span className="block text-xs text-slate-600">
                    {c.facilitator.label} · checked {formatAgo(health.checkedAt, now)}
                  </span>
                </td>
                <td className="px-3 py-2 align-top">
                  <PayeeEditor key={payee ?? "none"} chain={c.name} current={payee} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
