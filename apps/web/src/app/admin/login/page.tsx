import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "../../../components/admin/login-form.tsx";
import { fetchAuthStatus } from "../../../lib/server/fetch-auth-status.ts";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ next?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const status = await fetchAuthStatus();
  if (status?.signedIn) redirect(next?.startsWith("/admin") ? next : "/admin");
  return (
    <section
      aria-labelledby="login-heading"
      className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h1 id="login-heading" className="text-2xl font-semibold">
        Sign in
      </h1>
      {status && !status.passwordSet ? (
        <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          No admin password is set yet.{" "}
          <Link href="/admin/setup" className="font-semibold underline underline-offset-4">
            Set one with the owner token
          </Link>{" "}
          or run <code className="font-mono">tollgate admin password</code> on the seller box.
        </p>
      ) : (
        <p className="mt-2 text-sm text-slate-700">The owner's admin password for this Tollgate.</p>
      )}
      <LoginForm next={next} />
    </section>
  );
}
