"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { dangerButtonClass, secondaryButtonClass } from "./form-field.tsx";

/**
 * Deletes an agent behind a confirmation that names the offers deleted with it. The server deletes only if
 * exactly those offers still sell the agent, so an offer added after the page loaded is never deleted unseen.
 */
export function AgentDeleteAction({
  agent,
  onDeleted,
}: {
  agent: { name: string; offers: string[] };
  onDeleted: (message: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.agents.delete.mutationOptions({
      onSuccess: (deleted) => {
        setConfirming(false);
        onDeleted(
          `Deleted agent ${deleted.name}${deleted.offers.length ? ` and its offers: ${deleted.offers.join(", ")}` : ""}. Its wallet key is kept.`,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
      },
    }),
  );
  const titleId = `confirm-delete-agent-${agent.name}`;
  return (
    <div className="space-y-2">
      <button type="button" className={dangerButtonClass} onClick={() => setConfirming(true)}>
        Delete agent…
      </button>
      {confirming ? (
        <section
          role="alertdialog"
          aria-labelledby={titleId}
          className="space-y-3 rounded-md border border-red-300 bg-red-50 p-4"
        >
          <p id={titleId} className="font-semibold text-red-950">
            Delete agent {agent.name}?
          </p>
          {agent.offers.length ? (
            <div className="text-red-950">
              <p>These offers sell it and will be deleted with it (they leave the storefront at once):</p>
              <ul aria-label="Offers deleted with the agent" className="list-disc pl-5">
                {agent.offers.map((offer) => (
                  <li key={offer} className="font-mono text-xs">
                    {offer}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-red-950">No offer sells it.</p>
          )}
          <p className="text-red-950">
            Its wallet key stays in the secret store, so funds left in the wallet are not lost. The income its offers
            earned stays in the ledger; the agent's own outbound payment records are deleted with it.
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              className={dangerButtonClass}
              disabled={remove.isPending}
              onClick={() => remove.mutate({ name: agent.name, confirmedOffers: agent.offers })}
            >
              {remove.isPending ? "Deleting…" : "Confirm delete"}
            </button>
            <button
              type="button"
              className={secondaryButtonClass}
              onClick={() => {
                setConfirming(false);
                remove.reset();
              }}
            >
              Cancel
            </button>
          </div>
          {remove.error ? <ErrorMessage title="The delete failed" error={describeError(remove.error)} /> : null}
        </section>
      ) : null}
    </div>
  );
}
