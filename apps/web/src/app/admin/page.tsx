import type { Metadata } from "next";
import { AdminConsole } from "../../components/admin/admin-console.tsx";

export const metadata: Metadata = { title: "Admin" };

export default function AdminPage() {
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-3xl font-semibold tracking-tight">Admin</h1>
        <p className="mt-2 text-slate-700">Manage this Tollgate: offers, payments, identity and the server itself.</p>
      </div>
      <AdminConsole />
    </div>
  );
}
