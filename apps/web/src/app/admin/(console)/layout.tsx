import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AdminNav } from "../../../components/admin/admin-nav.tsx";
import { LiveUpdates } from "../../../components/admin/live-updates.tsx";
import { fetchAuthStatus } from "../../../lib/server/fetch-auth-status.ts";

export const dynamic = "force-dynamic";

/** Every admin page: signed-in owners only (an anonymous visitor goes to the login page). */
export default async function AdminConsoleLayout({ children }: { children: ReactNode }) {
  const status = await fetchAuthStatus();
  if (!status?.signedIn) {
    const path = (await headers()).get("x-tollgate-path");
    redirect(
      status && !status.passwordSet ? "/admin/setup" : `/admin/login${path ? `?next=${encodeURIComponent(path)}` : ""}`,
    );
  }
  return (
    <div className="space-y-6">
      <AdminNav actor={status.actor ?? "owner"} />
      <LiveUpdates />
      {children}
    </div>
  );
}
