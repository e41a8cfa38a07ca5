"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { FormField, inputClass, secondaryButtonClass } from "./form-field.tsx";

/** What answers for an agent: its external runtime's URL, or empty for the built-in runtime. */
export function AgentRuntimeForm({ agent }: { agent: { name: string; runtimeUrl: string | null } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(agent.runtimeUrl ?? "");
  const update = useMutation(
    trpc.agents.update.mutationOptions({
      onSuccess: (updated) => {
        setUrl(updated.runtimeUrl ?? "");
        void queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
      },
    }),
  );
  const error = update.error ? describeError(update.error) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: agent.name, runtimeUrl: url.trim() === "" ? null : url.trim() });
  };
  const id = `agent-runtime-${agent.name}`;
  return (
    <form onSubmit={submit} aria-label={`Runtime of ${agent.name}`} className="space-y-2">
      <p>
        Runtime:{" "}
        <strong>
          {agent.runtimeUrl ? `external, ${agent.runtimeUrl}` : "built-in (its objective over its model)"}
        </strong>
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <FormField
            id={id}
            label="External runtime URL"
            help="An OpenAI-compatible server whose POST /v1/chat/completions answers for the agent (its GET /v1/models is the health check). Empty: the built-in runtime."
            error={error?.message}
          >
            {(aria) => (
              <input
                {...aria}
                type="url"
                className={inputClass}
                placeholder="http://127.0.0.1:8080"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            )}
          </FormField>
        </div>
        <button type="submit" className={secondaryButtonClass} disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save runtime"}
        </button>
      </div>
    </form>
  );
}
