"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createOfferInputSchema, updateOfferInputSchema } from "@tollgate/core/offers/offer-schemas";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import type { AdminOffer } from "../../lib/admin-types.ts";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, primaryButtonClass } from "./form-field.tsx";

interface Values {
  name: string;
  type: "http" | "inference";
  upstream: string;
  model: string;
  healthPath: string;
  path: string;
  description: string;
  price: string;
  unit: "request" | "mtok" | "hour";
  chain: string;
  payTo: string;
  /** Bytes; empty: the server's limit. */
  maxBodyBytes: string;
  register: boolean;
}

function initialValues(offer?: AdminOffer): Values {
  return {
    name: offer?.name ?? "",
    type: offer?.type === "inference" ? "inference" : "http",
    upstream: offer?.upstreamUrl.startsWith("demo://") ? "" : (offer?.upstreamUrl ?? ""),
    model: offer?.model ?? "",
    healthPath: offer?.healthPath ?? "/health",
    path: offer?.path ?? "",
    description: offer?.description ?? "",
    price: offer?.payment.price ?? "",
    unit: offer?.payment.unit ?? "request",
    chain: offer?.payment.chain ?? "local",
    payTo: offer?.payment.payTo ?? "",
    maxBodyBytes: offer?.maxBodyBytes == null ? "" : String(offer.maxBodyBytes),
    register: offer?.registration.enabled ?? false,
  };
}

const opt = (value: string) => (value.trim() === "" ? undefined : value.trim());

/** The body limit field: empty is the server's limit (null), digits are bytes, anything else is refused. */
function readMaxBodyBytes(value: string): number | null | "invalid" {
  const text = value.trim();
  if (text === "") return null;
  return /^\d{1,10}$/.test(text) ? Number(text) : "invalid";
}

/** Field errors keyed by the schema path (`payment.price`), from zod issues. */
function issuesToErrors(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[issue.path.map(String).join(".")] ??= issue.message;
  return errors;
}

/** Create or edit an offer: the shared zod schemas check it here first; the server's `field` errors land inline too. */
export function OfferForm({ offer }: { offer?: AdminOffer }) {
  const editing = Boolean(offer);
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const chains = useQuery(trpc.chains.list.queryOptions());
  const [values, setValues] = useState<Values>(() => initialValues(offer));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  const onDone = (saved: AdminOffer) => {
    void queryClient.invalidateQueries({ queryKey: trpc.offers.pathKey() });
    router.push(`/admin/offers/${saved.name}`);
  };
  const onServerError = (error: unknown) => {
    const described = describeError(error);
    if (described.field) setErrors({ [described.field]: described.message });
  };
  const create = useMutation(trpc.offers.create.mutationOptions({ onSuccess: onDone, onError: onServerError }));
  const update = useMutation(trpc.offers.update.mutationOptions({ onSuccess: onDone, onError: onServerError }));
  const pending = create.isPending || update.isPending;
  const serverError = create.error ?? update.error;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const payment = {
      chain: values.chain,
      price: values.price.trim(),
      unit: values.unit,
      ...(opt(values.payTo) ? { payTo: opt(values.payTo) } : {}),
    };
    const maxBodyBytes = readMaxBodyBytes(values.maxBodyBytes);
    if (maxBodyBytes === "invalid") {
      return setErrors({ maxBodyBytes: "A whole number of bytes, or empty for the server's limit" });
    }
    if (!editing) {
      const parsed = createOfferInputSchema.safeParse({
        name: values.name.trim(),
        type: values.type,
        upstream: values.upstream.trim(),
        ...(values.type === "inference" ? { model: values.model.trim() } : {}),
        healthPath: opt(values.healthPath),
        path: opt(values.path),
        description: opt(values.description),
        payment,
        ...(maxBodyBytes === null ? {} : { maxBodyBytes }),
        registration: { enabled: values.register },
      });
      if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
      setErrors({});
      create.mutate(parsed.data);
      return;
    }
    const parsed = updateOfferInputSchema.safeParse({
      name: values.name,
      ...(opt(values.upstream) ? { upstream: opt(values.upstream) } : {}),
      healthPath: opt(values.healthPath),
      ...(values.type === "inference" && opt(values.model) ? { model: opt(values.model) } : {}),
      description: values.description,
      payment,
      maxBodyBytes,
    });
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    update.mutate(parsed.data);
  }

  const described = serverError ? describeError(serverError) : null;
  const unplaced = described && !(described.field && errors[described.field]);
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-5"
    >
      <FormField
        id="offer-name"
        label="Name"
        error={errors.name}
        help="A DNS label: lowercase letters, digits, inner dashes."
      >
        {(aria) => (
          <input
            {...aria}
            value={values.name}
            readOnly={editing}
            onChange={(e) => set("name", e.target.value)}
            className={`${inputClass} font-mono`}
          />
        )}
      </FormField>
      <FormField id="offer-type" label="Type" error={errors.type}>
        {(aria) => (
          <select
            {...aria}
            value={values.type}
            disabled={editing}
            onChange={(e) => set("type", e.target.value as Values["type"])}
            className={inputClass}
          >
            <option value="http">http — any HTTP API</option>
            <option value="inference">inference — OpenAI-compatible model server</option>
          </select>
        )}
      </FormField>
      <FormField
        id="offer-upstream"
        label="Upstream URL"
        error={errors.upstream}
        help={
          editing && offer?.upstreamUrl.startsWith("demo://")
            ? "Built-in demo upstream; leave empty to keep it."
            : "Where requests go once paid, e.g. http://127.0.0.1:9000"
        }
      >
        {(aria) => (
          <input
            {...aria}
            value={values.upstream}
            onChange={(e) => set("upstream", e.target.value)}
            className={`${inputClass} font-mono`}
          />
        )}
      </FormField>
      {values.type === "inference" ? (
        <FormField id="offer-model" label="Model" error={errors.model}>
          {(aria) => (
            <input
              {...aria}
              value={values.model}
              onChange={(e) => set("model", e.target.value)}
              className={`${inputClass} font-mono`}
            />
          )}
        </FormField>
      ) : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <FormField id="offer-health-path" label="Health path" error={errors.healthPath}>
          {(aria) => (
            <input
              {...aria}
              value={values.healthPath}
              onChange={(e) => set("healthPath", e.target.value)}
              className={`${inputClass} font-mono`}
            />
          )}
        </FormField>
        <FormField id="offer-path" label="Public path" error={errors.path} help="Default /services/<name>">
          {(aria) => (
            <input
              {...aria}
              value={values.path}
              readOnly={editing}
              onChange={(e) => set("path", e.target.value)}
              className={`${inputClass} font-mono`}
            />
          )}
        </FormField>
      </div>
      <FormField id="offer-description" label="Description" error={errors.description}>
        {(aria) => (
          <textarea
            {...aria}
            rows={3}
            value={values.description}
            onChange={(e) => set("description", e.target.value)}
            className={inputClass}
          />
        )}
      </FormField>
      <fieldset className="space-y-5 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold text-slate-900">Payment</legend>
        <div className="grid gap-5 sm:grid-cols-3">
          <FormField id="offer-price" label="Price" error={errors["payment.price"]} help="Decimal in USDC, e.g. 0.01">
            {(aria) => (
              <input
                {...aria}
                inputMode="decimal"
                value={values.price}
                onChange={(e) => set("price", e.target.value)}
                className={`${inputClass} font-mono`}
              />
            )}
          </FormField>
          <FormField id="offer-unit" label="Unit" error={errors["payment.unit"]}>
            {(aria) => (
              <select
                {...aria}
                value={values.unit}
                onChange={(e) => set("unit", e.target.value as Values["unit"])}
                className={inputClass}
              >
                <option value="request">per request</option>
                <option value="mtok">per million tokens (approx.)</option>
                <option value="hour">per hour (approx.)</option>
              </select>
            )}
          </FormField>
          <FormField id="offer-chain" label="Chain" error={errors["payment.chain"]}>
            {(aria) => (
              <select
                {...aria}
                value={values.chain}
                onChange={(e) => set("chain", e.target.value)}
                className={inputClass}
              >
                {(chains.data ?? [{ name: values.chain, displayName: values.chain }]).map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.displayName} ({c.name})
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <FormField
          id="offer-pay-to"
          label="Pay to"
          error={errors["payment.payTo"]}
          help="Leave empty to use the chain's default payee (Settings)."
        >
          {(aria) => (
            <input
              {...aria}
              value={values.payTo}
              onChange={(e) => set("payTo", e.target.value)}
              placeholder="0x…"
              className={`${inputClass} font-mono`}
            />
          )}
        </FormField>
        <FormField
          id="offer-max-body-bytes"
          label="Largest request body (bytes)"
          error={errors.maxBodyBytes}
          help="Larger paid requests get 413 before any payment is checked. Empty: the server's limit."
        >
          {(aria) => (
            <input
              {...aria}
              inputMode="numeric"
              value={values.maxBodyBytes}
              onChange={(e) => set("maxBodyBytes", e.target.value)}
              placeholder="server default"
              className={`${inputClass} font-mono`}
            />
          )}
        </FormField>
      </fieldset>
      {!editing ? (
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={values.register}
            onChange={(e) => set("register", e.target.checked)}
            className="size-4"
          />
          Publish an ERC-8004 registration for this offer
        </label>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <p role="alert" className="text-sm font-medium text-red-800">
          Fix the highlighted fields.
        </p>
      ) : null}
      {unplaced && described ? <ErrorMessage title="The server refused the offer" error={described} /> : null}
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : editing ? "Save changes" : "Create offer"}
      </button>
    </form>
  );
}
