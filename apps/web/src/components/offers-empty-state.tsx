const createExample =
  "tollgate offers create my-api \\\n  --upstream http://127.0.0.1:9000 \\\n  --price 0.001 --chain local";

/** Shown while nothing is for sale: tells a visitor so, and tells the seller how to list something. */
export function OffersEmptyState() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8">
      <h3 className="text-lg font-semibold text-slate-900">No offers are listed yet</h3>
      <p className="mt-2 max-w-2xl text-slate-700">
        Nothing is for sale here right now. If you run this Tollgate, list a service from the command line on the seller
        box:
      </p>
      <pre className="mt-4 overflow-x-auto rounded-md bg-slate-900 p-4 font-mono text-sm leading-relaxed text-slate-100">
        <code>{createExample}</code>
      </pre>
      <p className="mt-4 max-w-2xl text-sm text-slate-600">
        The offer appears here, in <code className="font-mono">/api/services.json</code> and in{" "}
        <code className="font-mono">/skill.md</code> once its upstream answers its health check and the payment gate for
        its chain is ready.
      </p>
    </div>
  );
}
