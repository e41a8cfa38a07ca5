"use client";

import { type FormEvent, useId, useState } from "react";
import type { DescribedError } from "../../lib/describe-error.ts";
import { ErrorMessage } from "./error-message.tsx";
import { dangerButtonClass, FormField, inputClass, primaryButtonClass, secondaryButtonClass } from "./form-field.tsx";

/** The dry-run plan the server returns for `POST /admin/api/import?dryRun=1`. */
interface ImportPlan {
  tables: { table: string; current: number; incoming: number }[];
  offers: { name: string; state: string }[];
  secrets: "replaced" | "kept" | "none in bundle";
  devnetState: boolean;
  devnetStateAction: string;
  keptTables: string[];
  blockedReason: string | null;
  ledgerHasContent: boolean;
}

interface ImportResult {
  imported: true;
  devnetState: string;
  notes: string[];
}

const tableLabels: Record<string, string> = {
  setting: "Settings",
  agent: "Agents",
  agentIdentity: "Agent identities",
  model: "Models",
  rpcUpstream: "RPC upstreams",
  identity: "Identities",
  offer: "Offers (incl. deleted)",
  apiToken: "API tokens",
  adminUser: "Admin users",
  auditEvent: "Audit events",
  payment: "Payments",
};

const secretsLabels: Record<ImportPlan["secrets"], string> = {
  replaced: "Replaced with the bundle's secrets (unsealed with your passphrase)",
  kept: "Kept as they are here (the bundle has sealed secrets; give its passphrase to restore them)",
  "none in bundle": "Kept as they are here (the bundle carries none)",
};

/** Reads `{error: {code, message, hint?}}` from a failed backup request. */
async function readError(res: Response): Promise<DescribedError> {
  const body = (await res.json().catch(() => null)) as { error?: DescribedError } | null;
  if (body?.error?.message) {
    const described: DescribedError = { message: body.error.message, httpStatus: res.status };
    if (body.error.code) described.code = body.error.code;
    if (body.error.hint) described.hint = body.error.hint;
    return described;
  }
  if (res.status === 401) return { message: "Your session has ended; sign in again.", httpStatus: 401 };
  return { message: `The server answered HTTP ${res.status}.`, httpStatus: res.status };
}

const networkError = (): DescribedError => ({
  message: "Could not reach the Tollgate server.",
  hint: "Check that tollgate serve is running and serving this page.",
});

function fileNameOf(res: Response): string {
  const match = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "");
  return match?.[1] ?? "tollgate-backup.tar.gz";
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Export: choose what goes in, then download the bundle the server builds from its ledger. */
function ExportSection() {
  const id = useId();
  const [includePayments, setIncludePayments] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [confirm, setConfirm] = useState("");
  const [status, setStatus] = useState<
    { kind: "idle" } | { kind: "busy"; received: number } | { kind: "done"; name: string; bytes: number }
  >({ kind: "idle" });
  const [error, setError] = useState<DescribedError | null>(null);

  const passphraseError = passphrase && passphrase.length < 8 ? "At least 8 characters." : undefined;
  const confirmError = passphrase && confirm !== passphrase ? "The two passphrases differ." : undefined;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (passphraseError || confirmError) return;
    setError(null);
    setStatus({ kind: "busy", received: 0 });
    try {
      const res = await fetch("/admin/api/export", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ includePayments, ...(passphrase ? { passphrase } : {}) }),
      });
      if (!res.ok || !res.body) {
        setError(await readError(res));
        setStatus({ kind: "idle" });
        return;
      }
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let received = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        setStatus({ kind: "busy", received });
      }
      const name = fileNameOf(res);
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: "application/gzip" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus({ kind: "done", name, bytes: received });
    } catch {
      setError(networkError());
      setStatus({ kind: "idle" });
    }
  }

  const busy = status.kind === "busy";
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Export
      </h2>
      <div className="max-w-2xl space-y-2 text-sm text-slate-700">
        <p>
          A <code className="font-mono">.tar.gz</code> bundle of this box's ledger: offers (deleted ones too, so they
          stay deleted), agents, models, identities, settings, API tokens and the audit log, plus the devnet's chain
          state. The same bundle as <code className="font-mono">tollgate export</code>; restore it here or with{" "}
          <code className="font-mono">tollgate import</code>.
        </p>
        <p>
          <strong>Secrets</strong> (wallet and signer keys, provider keys) are included only when you set a passphrase:
          they are sealed with it (scrypt + AES-256-GCM) and cannot be restored without it. Without a passphrase the
          bundle holds no secret. Payments are included only when you ask.
        </p>
      </div>
      <form onSubmit={onSubmit} className="max-w-md space-y-4" noValidate>
        <div className="flex items-start gap-2">
          <input
            id={`${id}-payments`}
            type="checkbox"
            checked={includePayments}
            onChange={(e) => setIncludePayments(e.target.checked)}
            className="mt-1 h-4 w-4 accent-emerald-700"
          />
          <label htmlFor={`${id}-payments`} className="text-sm text-slate-900">
            Include payments <span className="text-slate-600">(can be large)</span>
          </label>
        </div>
        <FormField
          id={`${id}-passphrase`}
          label="Passphrase (optional)"
          help="Set one to include secrets. At least 8 characters; keep it safe."
          error={passphraseError}
        >
          {(aria) => (
            <input
              {...aria}
              type="password"
              autoComplete="new-password"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              className={inputClass}
            />
          )}
        </FormField>
        {passphrase ? (
          <FormField id={`${id}-confirm`} label="Confirm passphrase" error={confirm ? confirmError : undefined}>
            {(aria) => (
              <input
                {...aria}
                type="password"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                className={inputClass}
              />
            )}
          </FormField>
        ) : null}
        <button
          type="submit"
          className={primaryButtonClass}
          disabled={busy || Boolean(passphraseError) || Boolean(passphrase && confirm !== passphrase)}
          aria-busy={busy}
        >
          {busy ? "Preparing backup…" : "Download backup"}
        </button>
        <p aria-live="polite" className="text-sm text-slate-700">
          {status.kind === "busy"
            ? status.received > 0
              ? `Downloading… ${formatBytes(status.received)}`
              : "Building the bundle on the server…"
            : status.kind === "done"
              ? `Downloaded ${status.name} (${formatBytes(status.bytes)}) ${passphrase ? "with sealed secrets" : "without secrets"}.`
              : ""}
        </p>
      </form>
      {error ? <ErrorMessage title="Export failed" error={error} /> : null}
    </section>
  );
}

function PlanView({ plan }: { plan: ImportPlan }) {
  const id = useId();
  const kept = new Set(plan.keptTables);
  return (
    <div className="space-y-4">
      <table className="w-full max-w-2xl text-left text-sm" aria-labelledby={`${id}-caption`}>
        <caption id={`${id}-caption`} className="mb-2 text-left font-semibold text-slate-900">
          What the import would change
        </caption>
        <thead className="border-b border-slate-300 text-slate-700">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">
              Table
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              Now
            </th>
            <th scope="col" className="py-2 pr-4 text-right font-medium">
              From bundle
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.tables.map((row) => (
            <tr key={row.table} className="border-b border-slate-100">
              <th scope="row" className="py-1.5 pr-4 font-normal text-slate-900">
                {tableLabels[row.table] ?? row.table}
              </th>
              <td className="py-1.5 pr-4 text-right tabular-nums">{row.current}</td>
              <td className="py-1.5 pr-4 text-right tabular-nums">
                {kept.has(row.table) ? (
                  <span>
                    {row.incoming} <span className="text-xs text-slate-600">(kept from this server)</span>
                  </span>
                ) : (
                  <span className={row.incoming !== row.current ? "font-semibold" : undefined}>{row.incoming}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Offers in the bundle ({plan.offers.length})</h3>
        {plan.offers.length === 0 ? (
          <p className="text-sm text-slate-700">None.</p>
        ) : (
          <ul className="mt-1 flex max-w-2xl flex-wrap gap-2 text-sm">
            {plan.offers.map((offer) => (
              <li key={offer.name} className="rounded-md border border-slate-200 px-2 py-1">
                <span className="font-mono">{offer.name}</span>{" "}
                <span className="text-xs text-slate-600">{offer.state}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <dl className="grid max-w-2xl grid-cols-1 gap-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-semibold text-slate-900">Secrets</dt>
        <dd className="text-slate-700">{secretsLabels[plan.secrets]}</dd>
        <dt className="font-semibold text-slate-900">Devnet state</dt>
        <dd className="text-slate-700">{plan.devnetStateAction}</dd>
        <dt className="font-semibold text-slate-900">Sign-in</dt>
        <dd className="text-slate-700">
          This server's password and API tokens are kept; everyone signed in is signed out.
        </dd>
      </dl>
    </div>
  );
}

/** Import: pick a bundle, check it (dry run), read the diff, then apply behind a confirmation. */
function ImportSection() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [checking, setChecking] = useState(false);
  const [applying, setApplying] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [force, setForce] = useState(false);
  const [error, setError] = useState<{ title: string; error: DescribedError } | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const upload = (query: string, body: File) =>
    fetch(`/admin/api/import?${query}`, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "content-type": "application/gzip",
        ...(passphrase ? { "x-tollgate-passphrase": encodeURIComponent(passphrase) } : {}),
      },
      body,
    });

  function reset() {
    setPlan(null);
    setConfirming(false);
    setForce(false);
    setResult(null);
    setError(null);
  }

  async function onCheck(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    reset();
    setChecking(true);
    try {
      const res = await upload("dryRun=1", file);
      if (!res.ok) {
        const described = await readError(res);
        setError({ title: described.code === "IMPORT_REFUSED" ? "Bundle refused" : "Check failed", error: described });
        return;
      }
      setPlan(((await res.json()) as { plan: ImportPlan }).plan);
    } catch {
      setError({ title: "Check failed", error: networkError() });
    } finally {
      setChecking(false);
    }
  }

  async function onApply() {
    if (!file || !plan) return;
    setError(null);
    setApplying(true);
    try {
      const res = await upload(force ? "force=1" : "", file);
      if (!res.ok) {
        setError({ title: "Import refused; nothing was changed", error: await readError(res) });
        return;
      }
      setResult((await res.json()) as ImportResult);
      setConfirming(false);
    } catch {
      setError({ title: "Import failed", error: networkError() });
    } finally {
      setApplying(false);
    }
  }

  const needsForce = Boolean(plan?.ledgerHasContent);
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Import
      </h2>
      <p className="max-w-2xl text-sm text-slate-700">
        Restore a bundle made by this page or <code className="font-mono">tollgate export</code>. Check it first: the
        server reads the bundle, refuses unsafe or damaged archives, and shows what would change. Nothing changes until
        you apply; the ledger is then replaced in one transaction and the offers come up again.
      </p>
      <form onSubmit={onCheck} className="max-w-md space-y-4">
        <FormField id={`${id}-file`} label="Bundle (.tar.gz)" help="Up to 256 MiB.">
          {(aria) => (
            <input
              {...aria}
              type="file"
              accept=".tar.gz,.tgz,application/gzip"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                reset();
              }}
              className="block w-full text-sm text-slate-900 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-semibold"
            />
          )}
        </FormField>
        <FormField
          id={`${id}-passphrase`}
          label="Passphrase (if the bundle has secrets)"
          help="Without it the bundle's secrets are not restored and this server's are kept."
        >
          {(aria) => (
            <input
              {...aria}
              type="password"
              autoComplete="off"
              value={passphrase}
              onChange={(e) => {
                setPassphrase(e.target.value);
                reset();
              }}
              className={inputClass}
            />
          )}
        </FormField>
        <button
          type="submit"
          className={primaryButtonClass}
          disabled={!file || checking || applying}
          aria-busy={checking}
        >
          {checking ? "Checking…" : "Check"}
        </button>
      </form>
      {error ? <ErrorMessage title={error.title} error={error.error} /> : null}
      {result ? (
        <div
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-950"
        >
          <p className="font-semibold">Import applied.</p>
          <p className="mt-1">Devnet state: {result.devnetState}</p>
          <ul className="mt-1 list-disc pl-5">
            {result.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
          <p className="mt-2">
            <a href="/admin/login" className="font-semibold underline">
              Sign in again
            </a>
          </p>
        </div>
      ) : null}
      {plan && !result ? (
        <div className="space-y-4 border-t border-slate-200 pt-4">
          <PlanView plan={plan} />
          {plan.blockedReason ? (
            <ErrorMessage title="This bundle cannot be imported here" error={{ message: plan.blockedReason }} />
          ) : !confirming ? (
            <button type="button" className={dangerButtonClass} onClick={() => setConfirming(true)}>
              Apply import…
            </button>
          ) : (
            <fieldset className="max-w-2xl space-y-3 rounded-md border border-red-300 bg-red-50 p-4">
              <legend className="text-sm font-semibold text-red-950">
                Replace this server's ledger with the bundle?
              </legend>
              <p className="text-sm text-red-900">
                Offers, identities, settings and the rest are replaced as shown above. This cannot be undone here:
                download an export first if you may want the current state back.
              </p>
              {needsForce ? (
                <div className="flex items-start gap-2">
                  <input
                    id={`${id}-force`}
                    type="checkbox"
                    checked={force}
                    onChange={(e) => setForce(e.target.checked)}
                    className="mt-1 h-4 w-4 accent-red-700"
                  />
                  <label htmlFor={`${id}-force`} className="text-sm text-red-950">
                    This ledger already has offers, payments or identities: replace them
                  </label>
                </div>
              ) : null}
              <div className="flex gap-2">
                <button
                  type="button"
                  className={dangerButtonClass}
                  disabled={applying || (needsForce && !force)}
                  aria-busy={applying}
                  onClick={onApply}
                >
                  {applying ? "Importing…" : "Apply import"}
                </button>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={applying}
                  onClick={() => setConfirming(false)}
                >
                  Cancel
                </button>
              </div>
            </fieldset>
          )}
        </div>
      ) : null}
    </section>
  );
}

/** The backup page: download an export, restore an import with its dry-run diff first. */
export function BackupManager() {
  return (
    <div className="space-y-6">
      <ExportSection />
      <ImportSection />
    </div>
  );
}
