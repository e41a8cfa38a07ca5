"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { setAdminToken } from "../../lib/admin-token-store.ts";
import { describeError } from "../../lib/describe-error.ts";
import { createClient, useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";

/** Asks for the owner API token and checks it against the server before keeping it. */
export function SignInCard({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [token, setToken] = useState("");
  const inputId = useId();
  const helpId = useId();

  const signIn = useMutation({
    // A one-off client carrying the candidate token: nothing is stored until the server accepts it.
    mutationFn: (candidate: string) => createClient(() => candidate).system.whoami.query(),
    onSuccess: (whoami, candidate) => {
      queryClient.removeQueries();
      queryClient.setQueryData(trpc.system.whoami.queryKey(), whoami);
      setAdminToken(candidate);
      onSignedIn();
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate) signIn.mutate(candidate);
  };

  const error = signIn.error ? describeError(signIn.error) : null;

  return (
    <section
      aria-labelledby="sign-in-heading"
      className="max-w-xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h2 id="sign-in-heading" className="text-xl font-semibold">
        Sign in
      </h2>
      <p className="mt-2 text-sm leading-relaxed text-slate-700">
        Paste the owner API token. <code className="font-mono">tollgate serve</code> prints it once at first start and
        keeps it in <code className="font-mono">$TOLLGATE_HOME/admin-token</code> (by default{" "}
        <code className="font-mono">~/.local/share/tollgate/admin-token</code>).
      </p>
      {notice ? (
        <p
          role="status"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          {notice}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="mt-5 space-y-4" noValidate>
        <div>
          <label htmlFor={inputId} className="block text-sm font-medium text-slate-900">
            Owner API token
          </label>
          <input
            id={inputId}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            aria-describedby={helpId}
            aria-invalid={error ? true : undefined}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm shadow-sm focus:border-emerald-700 focus:outline-2 focus:outline-emerald-700"
          />
          <p id={helpId} className="mt-1 text-xs text-slate-600">
            Kept in this tab only (session storage) and sent as <code className="font-mono">Authorization: Bearer</code>
            .
          </p>
        </div>
        {error ? <ErrorMessage title="Sign-in failed" error={error} /> : null}
        <button
          type="submit"
          disabled={signIn.isPending || token.trim() === ""}
          className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 disabled:cursor-not-allowed disabled:bg-slate-400"
        >
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </section>
  );
}
