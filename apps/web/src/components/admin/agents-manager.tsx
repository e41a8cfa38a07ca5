"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatAtomicAmount } from "@tollgate/core/payments/format-atomic-amount";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { CopyButton } from "../copy-button.tsx";
import { AgentDeleteAction } from "./agent-delete-action.tsx";
import { AgentFundingPanel } from "./agent-funding-panel.tsx";
import { AgentRuntimeForm } from "./agent-runtime-form.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { secondaryButtonClass } from "./form-field.tsx";
import { OutboundPaymentsTable } from "./outbound-payments-table.tsx";

const usdc = (atomic: string | null) =>
  atomic === null ? "—" : `${formatAtomicAmount({ amount: atomic, decimals: 6 })} USDC`;
const gas = (wei: string | null) => (wei === null ? "—" : `${formatAtomicAmount({ amount: wei, decimals: 18 })} ETH`);

/** Agents with wallet, balances, identities, offers and spend against budget; outbound payments below. */
export function AgentsManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const agents = useQuery(trpc.agents.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const balances = useQuery(trpc.agents.balances.queryOptions(undefined, { refetchInterval: 5_000 }));
  const [deleted, setDeleted] = useState<string | null>(null);
  const payments = useQuery(trpc.agents.payments.queryOptions({ limit: 50 }, { refetchInterval: 5_000 }));
  const fund = useMutation(
    trpc.agents.fund.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() }),
    }),
  );

  if (agents.isPending) return <p className="text-slate-700">Loading agents…</p>;
  if (agents.error) return <ErrorMessage title="Could not load agents" error={describeError(agents.error)} />;
  const deletedNote = (
    <div aria-live="polite">
      {deleted ? (
        <p className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950">
          {deleted}
        </p>
      ) : null}
    </div>
  );
  if (agents.data.length === 0) {
    return (
      <>
        {deletedNote}
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-slate-700">
          No agents yet. Create one with{" "}
          <code className="font-mono">tollgate agents create researcher --model demo</code>, then sell it with{" "}
          <code className="font-mono">tollgate offers create ask --type agent --agent researcher</code>.
        </p>
      </>
    );
  }
  const balanceOf = new Map((balances.data ?? []).map((b) => [b.agent, b]));
  return (
    <div className="space-y-8">
      {deletedNote}
      <ul className="space-y-3">
        {agents.data.map((agent) => {
          const balance = balanceOf.get(agent.name);
          return (
            <li
              key={agent.id}
              aria-label={`Agent ${agent.name}`}
              className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 className="text-lg font-semibold">{agent.name}</h2>
                <span className="text-slate-600">model {agent.model}</span>
              </div>
              <p>
                Wallet <span className="font-mono text-xs">{agent.walletAddress}</span>{" "}
                <CopyButton text={agent.walletAddress} label="Copy address" />
              </p>
              <p>
                Balance: <strong>{usdc(balance?.usdc ?? null)}</strong> · gas {gas(balance?.gas ?? null)}
                {balance?.chain ? ` on ${balance.chain}` : ""}
              </p>
              {balance?.low ? (
                <p role="alert" className="rounded bg-amber-50 px-2 py-1 text-amber-900">
                  Low balance: this agent cannot pay for much more. Fund its wallet.
                </p>
              ) : null}
              {balance?.chain === "local" ? (
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={fund.isPending}
                  onClick={() => fund.mutate({ name: agent.name, amount: "1" })}
                >
                  Fund 1 test USDC (devnet)
                </button>
              ) : (
                <AgentFundingPanel agent={agent} />
              )}
              {fund.error && fund.variables?.name === agent.name ? (
                <p className="text-red-700">{describeError(fund.error).message}</p>
              ) : null}
              <p>
                Spent today: <strong>{agent.spentLast24h} USDC</strong>
                {agent.policy.dailyBudget ? ` of ${agent.policy.dailyBudget} USDC budget` : " (no spend policy)"}
                {agent.policy.maxPerPayment ? ` · at most ${agent.policy.maxPerPayment} per payment` : ""}
              </p>
              <p>
                Identity:{" "}
                {agent.identities.length === 0
                  ? "not registered (registers when an offer sells it)"
                  : agent.identities
                      .map(
                        (i) => `${i.chain} #${i.tokenId ?? "?"} (${i.state}${i.lastError ? `: ${i.lastError}` : ""})`,
                      )
                      .join(", ")}
              </p>
              <p>Offers: {agent.offers.length ? agent.offers.join(", ") : "none"}</p>
              <AgentRuntimeForm agent={agent} />
              <AgentDeleteAction agent={agent} onDeleted={setDeleted} />
            </li>
          );
        })}
      </ul>
      <section aria-labelledby="outbound-heading" className="space-y-2">
        <h2 id="outbound-heading" className="text-lg font-semibold">
          Outbound payments
        </h2>
        {(payments.data ?? []).length === 0 ? (
          <p className="text-slate-700">No outbound payments yet.</p>
        ) : (
          <OutboundPaymentsTable payments={payments.data ?? []} caption="Outbound payments" />
        )}
      </section>
    </div>
  );
}
