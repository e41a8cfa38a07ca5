import Link from "next/link";
import { NavLink } from "./nav-link.tsx";

/** Product name and the two areas of the console. */
export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex w-full max-w-5xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <Link
          href="/"
          className="flex items-center gap-2 rounded text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-700"
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" className="size-7 text-emerald-700" fill="none">
            <rect x="2" y="2" width="20" height="20" rx="5" fill="currentColor" />
            <path d="M7 8h10M12 8v9" stroke="white" strokeWidth="2.4" strokeLinecap="round" />
          </svg>
          <span className="text-lg font-semibold tracking-tight">Tollgate</span>
        </Link>
        <nav aria-label="Main">
          <ul className="flex items-center gap-1 text-sm font-medium">
            <li>
              <NavLink href="/">Storefront</NavLink>
            </li>
            <li>
              <NavLink href="/admin">Admin</NavLink>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}
