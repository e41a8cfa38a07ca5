import { discoveryDocuments } from "../lib/discovery-documents.ts";

/** Links to the machine-readable documents; plain anchors, since Next does not serve them. */
export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex w-full max-w-5xl flex-col gap-3 px-4 py-6 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>Tollgate · payments by x402 on EVM chains</p>
        <nav aria-label="Machine-readable documents">
          <ul className="flex flex-wrap gap-x-5 gap-y-2">
            {discoveryDocuments.map((doc) => (
              <li key={doc.href}>
                <a
                  href={doc.href}
                  className="font-mono text-slate-700 underline decoration-slate-300 underline-offset-4 hover:text-slate-900 hover:decoration-slate-500"
                >
                  {doc.href}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
