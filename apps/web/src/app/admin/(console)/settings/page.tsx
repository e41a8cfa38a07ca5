import type { Metadata } from "next";
import { ChainsAndPayees } from "../../../../components/admin/chains-and-payees.tsx";
import { SiteSettingsForm } from "../../../../components/admin/site-settings-form.tsx";

export const metadata: Metadata = { title: "Settings" };

export default function AdminSettingsPage() {
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section aria-labelledby="profile-heading" className="max-w-2xl rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="profile-heading" className="text-lg font-semibold">
          Storefront profile and public URL
        </h2>
        <div className="mt-4">
          <SiteSettingsForm />
        </div>
      </section>
      <section aria-labelledby="chains-heading">
        <h2 id="chains-heading" className="text-lg font-semibold">
          Chains and default payees
        </h2>
        <div className="mt-3">
          <ChainsAndPayees />
        </div>
      </section>
    </div>
  );
}
