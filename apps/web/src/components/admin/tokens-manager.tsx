"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createTokenInputSchema } from "@tollgate/core/tokens/api-token-schemas";
import { type FormEvent, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { formatTimestamp } from "../../lib/format-time.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { CopyButton } from "../copy-button.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { dangerButtonClass, FormField, inputClass, primaryButtonClass, secondaryButtonClass } from "./form-field.tsx";

/** API tokens: create with a scope (the secret is shown once), list, revoke with confirmation. */
export function TokensManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"read" | "admin">("read");
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (r) => {
        setCreated({ name: r.summary.name, token: r.token });
        setName("");
        void refresh();
      },
      onError: (e) => {
        const d = describeError(e);
        if (d.field === "name") setNameError(d.message);
      },
    }),
  );
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void refresh();
      },
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = createTokenInputSchema.safeParse({ name: name.trim(), scope });
    if (!parsed.success) return setNameError(parsed.error.issues[0]?.message);
    setNameError(undefined);
    setCreated(null);
    create.mutate(parsed.data);
  }
  return (
    <div className="space-y-6">
      <form
        onSubmit={onSubmit}
        noValidate
        className="flex max-w-2xl flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <div className="min-w-48 flex-1">
          <FormField id="token-name" label="Token name" error={nameError}>
            {(aria) => (
              <input {...aria} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} />
            )}
          </FormField>
        </div>
        <FormField id="token-scope" label="Scope">
          {(aria) => (
            <select
              {...aria}
              value={scope}
              onChange={(e) => setScope(e.target.value as "read" | "admin")}
              className={inputClass}
            >
              <option value="read">read</option>
              <option value="admin">admin</option>
            </select>
          )}
        </FormField>
        <button type="submit" disabled={create.isPending} className={primaryButtonClass}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {created ? (
        <div role="status" className="max-w-2xl space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-4">
          <p className="font-semibold text-emerald-950">
            Token "{created.name}" created. Copy it now: it will not be shown again.
          </p>
          <code className="block break-all rounded bg-white p-2 font-mono text-sm" data-testid="new-token">
            {created.token}
          </code>
          <CopyButton text={created.token} label="Copy token" />
        </div>
      ) : null}
      {create.error && !nameError ? (
        <ErrorMessage title="Could not create the token" error={describeError(create.error)} />
      ) : null}
      {revoke.error ? <ErrorMessage title="Could not revoke" error={describeError(revoke.error)} /> : null}
      {tokens.error ? (
        <ErrorMessage title="Could not load tokens" error={describeError(tokens.error)} />
      ) : !tokens.data ? (
        <p role="status">Loading tokens…</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">API tokens</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  Scope
                </th>
                <th scope="col" className="px-3 py-2">
                  Prefix
                </th>
                <th scope="col" className="px-3 py-2">
                  Created
                </th>
                <th scope="col" className="px-3 py-2">
                  Last used
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.map((t) => (
                <tr key={t.name}>
                  <th scope="row" className="px-3 py-2 font-medium">
                    {t.name}
                  </th>
                  <td className="px-3 py-2">{t.scope}</td>
                  <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
                  <td className="px-3 py-2">{formatTimestamp(t.createdAt)}</td>
                  <td className="px-3 py-2">{t.lastUsedAt ? formatTimestamp(t.lastUsedAt) : "never"}</td>
                  <td className="px-3 py-2">
                    {t.revokedAt ? (
                      `revoked ${formatTimestamp(t.revokedAt)}`
                    ) : revoking === t.name ? (
                      <span className="flex items-center gap-2">
                        <button
                          type="button"
                          className={dangerButtonClass}
                          disabled={revoke.isPending}
                          onClick={() => revoke.mutate({ name: t.name })}
                        >
                          Confirm revoke {t.name}
                        </button>
                        <button type="button" className={secondaryButtonClass} onClick={() => setRevoking(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <button type="button" className={secondaryButtonClass} onClick={() => setRevoking(t.name)}>
                        Revoke…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
