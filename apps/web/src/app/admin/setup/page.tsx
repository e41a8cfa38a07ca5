import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "../../../components/admin/setup-form.tsx";
import { fetchAuthStatus } from "../../../lib/server/fetch-auth-status.ts";

export const metadata: Metadata = { title: "Set the admin password" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  const status = await fetchAuthStatus();
  if (status?.passwordSet) redirect("/admin/login");
  return (
    <section
      aria-labelledby="setup-heading"
      className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h1 id="setup-heading" className="text-2xl font-semibold">
        Set the admin password
      </h1>
      <p className="mt-2 text-sm text-slate-700">
        First run: prove you own this Tollgate with the owner token, then choose the password you will sign in with.
      </p>
      <SetupForm />
    </section>
  );
}
