import Link from "next/link";
import { pageWindow } from "../../lib/storefront-query.ts";

const linkClass =
  "inline-flex min-w-10 items-center justify-center rounded-md border px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700";

/**
 * Page links (real links: Tab reaches them, Enter follows them, each page has its own URL). The current
 * page is marked with `aria-current`; runs of pages left out show an ellipsis.
 */
export function PaginationNav({
  page,
  pageCount,
  hrefFor,
  label = "Pagination",
}: {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
  label?: string;
}) {
  if (pageCount <= 1) return null;
  const edge = (target: number, text: string, rel: "prev" | "next") =>
    target < 1 || target > pageCount ? (
      <span aria-hidden="true" className={`${linkClass} border-slate-200 text-slate-600`}>
        {text}
      </span>
    ) : (
      <Link
        href={hrefFor(target)}
        rel={rel}
        aria-label={rel === "prev" ? "Previous page" : "Next page"}
        className={`${linkClass} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}
      >
        {text}
      </Link>
    );
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-center gap-2">
      {edge(page - 1, "← Previous", "prev")}
      <ul className="flex flex-wrap items-center gap-1">
        {pageWindow(page, pageCount).map((p, index) =>
          p === null ? (
            <li key={`gap-${index}`} aria-hidden="true" className="px-1 text-slate-600">
              …
            </li>
          ) : (
            <li key={p}>
              <Link
                href={hrefFor(p)}
                aria-label={`Page ${p}`}
                aria-current={p === page ? "page" : undefined}
                className={`${linkClass} ${p === page ? "border-emerald-700 bg-emerald-700 font-semibold text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`}
              >
                {p}
              </Link>
            </li>
          ),
        )}
      </ul>
      {edge(page + 1, "Next →", "next")}
    </nav>
  );
}
