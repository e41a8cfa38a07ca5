"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { describeError, isUnauthenticated } from "../../lib/describe-error.ts";
import { useTRPC } from "../../trpc/react.tsx";
import { ErrorMessage } from "./error-message.tsx";
import { ServerInfoCard } from "./server-info-card.tsx";

/** The console once a token is stored: who is signed in, and the server's facts. */
export function SignedInView({ onSignOut }: { onSignOut: (reason?: string) => void }) {
  const trpc = useTRPC();
  const whoami = useQuery(trpc.system.whoami.queryOptions());
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 30_000 }));

  // A stored token the server no longer accepts (revoked, or a different server) ends the session.
  const refused = [whoami.error, info.error].find(isUnauthenticated);
  useEffect(() => {
    if (refused) onSignOut(`Signed out: ${describeError(refused).message}`);
  }, [refused, onSignOut]);

  return (
    <div className="space-y-6">
      <section
        aria-labelledby="session-heading"
        className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:flex-row sm:items-center sm:justify-between"
      >
        <div>
          <h2 id="session-heading" className="text-sm font-semibold uppercase tracking-wider text-slate-600">
            Signed in
          </h2>
          {whoami.data ? (
            <p className="mt-1 text-slate-900">
              <span className="font-medium">{whoami.data.actor}</span>{" "}
              <span className="text-slate-600">
                · {whoami.data.scope} scope · {whoami.data.kind === "token" ? "API token" : "session"}
              </span>
            </p>
          ) : whoami.error ? (
            <p className="mt-1 text-red-800">{describeError(whoami.error).message}</p>
          ) : (
            <p className="mt-1 text-slate-600">Checking token…</p>
          )}
        </div>
        <button
          type="button"
          onClick={() => onSignOut()}
          className="self-start rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700 sm:self-auto"
        >
          Sign out
        </button>
      </section>

      <section
        aria-labelledby="server-heading"
        aria-busy={info.isPending}
        className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h2 id="server-heading" className="text-xl font-semibold">
          Server
        </h2>
        <div className="mt-4">
          {info.data ? (
            <ServerInfoCard info={info.data} fetchedAt={info.dataUpdatedAt} />
          ) : info.error ? (
            <ErrorMessage
              title="Could not load server info"
              error={describeError(info.error)}
              action={
                <button
                  type="button"
                  onClick={() => void info.refetch()}
                  className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-semibold text-red-900 hover:bg-red-100"
                >
                  Retry
                </button>
              }
            />
          ) : (
            <p role="status" className="text-slate-600">
              Loading server info…
            </p>
          )}
        </div>
      </section>
    </div>
  );
}
