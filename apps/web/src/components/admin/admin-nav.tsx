"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useTRPC } from "../../trpc/react.tsx";
import { secondaryButtonClass } from "./form-field.tsx";

const sections = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/offers", label: "Offers" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/agents", label: "Agents" },
  { href: "/admin/payments", label: "Payments" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/tokens", label: "Tokens" },
  { href: "/admin/backup", label: "Backup" },
] as const;

/** The admin sections and the logout button. */
export function AdminNav({ actor }: { actor: string }) {
  const pathname = usePathname();
  const router = useRouter();
  const trpc = useTRPC();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        router.replace("/admin/login");
        router.refresh();
      },
    }),
  );
  return (
    <div className="flex flex-col gap-3 border-b border-slate-200 pb-4 sm:flex-row sm:items-center sm:justify-between">
      <nav aria-label="Admin">
        <ul className="flex flex-wrap gap-1 text-sm font-medium">
          {sections.map((s) => {
            const current = s.href === "/admin" ? pathname === "/admin" : pathname.startsWith(s.href);
            return (
              <li key={s.href}>
                <Link
                  href={s.href}
                  aria-current={current ? "page" : undefined}
                  className={`rounded-md px-3 py-2 focus-visible:outline-2 focus-visible:outline-emerald-700 ${current ? "bg-emerald-100 text-emerald-950" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {s.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="flex items-center gap-3 text-sm text-slate-700">
        <span>
          Signed in as <span className="font-medium">{actor}</span>
        </span>
        <button
          type="button"
          onClick={() => logout.mutate()}
          disabled={logout.isPending}
          className={secondaryButtonClass}
        >
          Log out
        </button>
      </div>
    </div>
  );
}
