"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { addModelInputSchema, addProviderInputSchema } from "@tollgate/core/models/model-schemas";
import { type FormEvent, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ConditionPills } from "./condition-pills.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, primaryButtonClass, secondaryButtonClass } from "./form-field.tsx";

type Errors = Partial<Record<string, string>>;

/** The first zod issue per field, keyed by its path. */
function fieldErrors(issues: { path: PropertyKey[]; message: string }[]): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Providers (their key is write-only) and models with ModelReady; add and remove both. */
export function ModelsManager() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const providers = useQuery(trpc.providers.list.queryOptions());
  const models = useQuery(trpc.models.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.providers.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() }),
    ]);

  const [provider, setProvider] = useState({ name: "", baseUrl: "", apiKey: "" });
  const [providerErrors, setProviderErrors] = useState<Errors>({});
  const [model, setModel] = useState({ name: "", provider: "", upstreamModel: "", maxTokens: "" });
  const [modelErrors, setModelErrors] = useState<Errors>({});

  const addProvider = useMutation(
    trpc.providers.add.mutationOptions({
      onSuccess: () => {
        setProvider({ name: "", baseUrl: "", apiKey: "" });
        void refresh();
      },
      onError: (e) => {
        const d = describeError(e);
        if (d.field) setProviderErrors({ [d.field]: d.message });
      },
    }),
  );
  const removeProvider = useMutation(trpc.providers.remove.mutationOptions({ onSuccess: () => void refresh() }));
  const addModel = useMutation(
    trpc.models.add.mutationOptions({
      onSuccess: () => {
        setModel({ name: "", provider: model.provider, upstreamModel: "", maxTokens: "" });
        void refresh();
      },
      onError: (e) => {
        const d = describeError(e);
        if (d.field) setModelErrors({ [d.field]: d.message });
      },
    }),
  );
  const removeModel = useMutation(trpc.models.remove.mutationOptions({ onSuccess: () => void refresh() }));

  function onAddProvider(event: FormEvent) {
    event.preventDefault();
    const parsed = addProviderInputSchema.safeParse({
      name: provider.name.trim(),
      baseUrl: provider.baseUrl.trim(),
      ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    });
    if (!parsed.success) return setProviderErrors(fieldErrors(parsed.error.issues));
    setProviderErrors({});
    addProvider.mutate(parsed.data);
  }

  function onAddModel(event: FormEvent) {
    event.preventDefault();
    const maxTokens = model.maxTokens.trim() ? Number(model.maxTokens.trim()) : undefined;
    const parsed = addModelInputSchema.safeParse({
      name: model.name.trim(),
      provider: model.provider,
      ...(model.upstreamModel.trim() ? { upstreamModel: model.upstreamModel.trim() } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
    });
    if (!parsed.success) return setModelErrors(fieldErrors(parsed.error.issues));
    setModelErrors({});
    addModel.mutate(parsed.data);
  }

  return (
    <div className="space-y-8">
      <section aria-labelledby="providers-heading" className="space-y-3">
        <h2 id="providers-heading" className="text-lg font-semibold">
          Providers
        </h2>
        <form
          onSubmit={onAddProvider}
          noValidate
          className="grid max-w-3xl gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3"
        >
          <FormField id="provider-name" label="Name" error={providerErrors.name}>
            {(aria) => (
              <input
                {...aria}
                value={provider.name}
                onChange={(e) => setProvider({ ...provider, name: e.target.value })}
                className={inputClass}
              />
            )}
          </FormField>
          <FormField id="provider-base-url" label="Base URL (OpenAI-compatible)" error={providerErrors.baseUrl}>
            {(aria) => (
              <input
                {...aria}
                value={provider.baseUrl}
                placeholder="http://127.0.0.1:11434"
                onChange={(e) => setProvider({ ...provider, baseUrl: e.target.value })}
                className={inputClass}
              />
            )}
          </FormField>
          <FormField id="provider-api-key" label="API key (optional, stored encrypted)" error={providerErrors.apiKey}>
            {(aria) => (
              <input
                {...aria}
                type="password"
                autoComplete="off"
                value={provider.apiKey}
                onChange={(e) => setProvider({ ...provider, apiKey: e.target.value })}
                className={inputClass}
              />
            )}
          </FormField>
          <div className="sm:col-span-3">
            <button type="submit" disabled={addProvider.isPending} className={primaryButtonClass}>
              {addProvider.isPending ? "Adding…" : "Add provider"}
            </button>
          </div>
        </form>
        {addProvider.error && Object.keys(providerErrors).length === 0 ? (
          <ErrorMessage title="Could not add the provider" error={describeError(addProvider.error)} />
        ) : null}
        {removeProvider.error ? (
          <ErrorMessage title="Could not remove the provider" error={describeError(removeProvider.error)} />
        ) : null}
        {providers.error ? (
          <ErrorMessage title="Could not load providers" error={describeError(providers.error)} />
        ) : !providers.data ? (
          <p role="status">Loading providers…</p>
        ) : providers.data.length === 0 ? (
          <p className="text-slate-700">
            No providers yet. Add the OpenAI-compatible endpoint that serves your models.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {providers.data.map((p) => (
              <li key={p.name} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
                <span>
                  <strong>{p.name}</strong> · <span className="font-mono text-xs">{p.baseUrl}</span> · key{" "}
                  {p.hasApiKey ? "set" : "none"} · models: {p.models.join(", ") || "none"}
                </span>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={removeProvider.isPending}
                  onClick={() => removeProvider.mutate({ name: p.name })}
                >
                  Remove {p.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="models-heading" className="space-y-3">
        <h2 id="models-heading" className="text-lg font-semibold">
          Models
        </h2>
        <form
          onSubmit={onAddModel}
          noValidate
          className="grid max-w-3xl gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4"
        >
          <FormField id="model-name" label="Name" error={modelErrors.name}>
            {(aria) => (
              <input
                {...aria}
                value={model.name}
                onChange={(e) => setModel({ ...model, name: e.target.value })}
                className={inputClass}
              />
            )}
          </FormField>
          <FormField id="model-provider" label="Provider" error={modelErrors.provider}>
            {(aria) => (
              <select
                {...aria}
                value={model.provider}
                onChange={(e) => setModel({ ...model, provider: e.target.value })}
                className={inputClass}
              >
                <option value="">Choose…</option>
                {(providers.data ?? []).map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField id="model-upstream" label="Provider's model id (default: name)" error={modelErrors.upstreamModel}>
            {(aria) => (
              <input
                {...aria}
                value={model.upstreamModel}
                onChange={(e) => setModel({ ...model, upstreamModel: e.target.value })}
                className={inputClass}
              />
            )}
          </FormField>
          <FormField id="model-max-tokens" label="Max tokens (default 8192)" error={modelErrors.maxTokens}>
            {(aria) => (
              <input
                {...aria}
                inputMode="numeric"
                value={model.maxTokens}
                onChange={(e) => setModel({ ...model, maxTokens: e.target.value })}
                className={inputClass}
              />
            )}
          </FormField>
          <div className="sm:col-span-4">
            <button type="submit" disabled={addModel.isPending} className={primaryButtonClass}>
              {addModel.isPending ? "Adding…" : "Add model"}
            </button>
          </div>
        </form>
        {addModel.error && Object.keys(modelErrors).length === 0 ? (
          <ErrorMessage title="Could not add the model" error={describeError(addModel.error)} />
        ) : null}
        {removeModel.error ? (
          <ErrorMessage title="Could not remove the model" error={describeError(removeModel.error)} />
        ) : null}
        {models.error ? (
          <ErrorMessage title="Could not load models" error={describeError(models.error)} />
        ) : !models.data ? (
          <p role="status">Loading models…</p>
        ) : models.data.length === 0 ? (
          <p className="text-slate-700">
            No models yet. Add one, then sell it with an inference offer priced per 1M tokens.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {models.data.map((m) => (
              <li key={m.name} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
                <span className="space-y-1">
                  <span className="block">
                    <strong>{m.name}</strong> · {m.upstreamModel} on {m.provider} · up to {m.maxTokens} tokens · offers:{" "}
                    {m.offers.join(", ") || "none"}
                  </span>
                  <ConditionPills conditions={m.conditions.map((c) => ({ ...c, observedGeneration: 0 }))} />
                </span>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={removeModel.isPending}
                  onClick={() => removeModel.mutate({ name: m.name })}
                >
                  Remove {m.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
