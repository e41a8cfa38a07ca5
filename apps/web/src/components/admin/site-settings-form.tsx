"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { describeError } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { FormField, inputClass, primaryButtonClass } from "./form-field.tsx";

/** Storefront profile and public base URL (`site.get` / `site.update`). */
export function SiteSettingsForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const site = useQuery(trpc.site.get.queryOptions());
  const [form, setForm] = useState({ displayName: "", tagline: "", logoUrl: "", publicBaseUrl: "" });
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (site.data)
      setForm({
        displayName: site.data.profile.displayName,
        tagline: site.data.profile.tagline,
        logoUrl: site.data.profile.logoUrl,
        publicBaseUrl: site.data.publicBaseUrlSource === "setting" ? site.data.publicBaseUrl : "",
      });
  }, [site.data]);
  const update = useMutation(
    trpc.site.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.site.pathKey() });
      },
    }),
  );
  const error = update.error ? describeError(update.error) : null;
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    update.mutate({
      displayName: form.displayName,
      tagline: form.tagline,
      logoUrl: form.logoUrl,
      publicBaseUrl: form.publicBaseUrl.trim() === "" ? null : form.publicBaseUrl.trim(),
    });
  }
  if (site.error) return <ErrorMessage title="Could not load the site settings" error={describeError(site.error)} />;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormField id="site-display-name" label="Display name" error={fieldError("displayName")}>
        {(aria) => (
          <input
            {...aria}
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
            className={inputClass}
          />
        )}
      </FormField>
      <FormField id="site-tagline" label="Tagline" error={fieldError("tagline")}>
        {(aria) => (
          <input
            {...aria}
            value={form.tagline}
            onChange={(e) => setForm({ ...form, tagline: e.target.value })}
            className={inputClass}
          />
        )}
      </FormField>
      <FormField
        id="site-logo"
        label="Logo URL"
        error={fieldError("logoUrl")}
        help="An absolute URL, or a path on this origin such as /logo.svg"
      >
        {(aria) => (
          <input
            {...aria}
            value={form.logoUrl}
            onChange={(e) => setForm({ ...form, logoUrl: e.target.value })}
            className={`${inputClass} font-mono`}
          />
        )}
      </FormField>
      <FormField
        id="site-public-url"
        label="Public base URL"
        error={fieldError("publicBaseUrl")}
        help={site.data ? `Empty uses the default: ${site.data.defaultPublicBaseUrl}` : undefined}
      >
        {(aria) => (
          <input
            {...aria}
            value={form.publicBaseUrl}
            onChange={(e) => setForm({ ...form, publicBaseUrl: e.target.value })}
            placeholder="https://api.example.com"
            className={`${inputClass} font-mono`}
          />
        )}
      </FormField>
      {error && !error.field ? <ErrorMessage title="Could not save" error={error} /> : null}
      <div className="flex items-center gap-3">
        <button type="submit" disabled={update.isPending || !site.data} className={primaryButtonClass}>
          {update.isPending ? "Saving…" : "Save"}
        </button>
        <span aria-live="polite" className="text-sm text-emerald-800">
          {saved ? "Saved." : ""}
        </span>
      </div>
    </form>
  );
}
