import type { ReactNode } from "react";
import type { DescribedError } from "../../lib/describe-error.ts";

/** An error from the server, as an alert: its message, its hint, and its code for support. */
export function ErrorMessage({ title, error, action }: { title: string; error: DescribedError; action?: ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
      <p className="font-semibold">{title}</p>
      <p className="mt-1">{error.message}</p>
      {error.hint ? <p className="mt-1 text-red-800">{error.hint}</p> : null}
      {error.code ? (
        <p className="mt-1 font-mono text-xs text-red-800">
          {error.code}
          {error.httpStatus ? ` · HTTP ${error.httpStatus}` : ""}
        </p>
      ) : null}
      {action ? <div className="mt-3">{action}</div> : null}
    </div>
  );
}
