import type { Metadata } from "next";
import { BackupManager } from "../../../../components/admin/backup-manager.tsx";

export const metadata: Metadata = { title: "Backup" };

export default function AdminBackupPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Backup</h1>
      <p className="max-w-2xl text-slate-700">
        Download this box's ledger as a bundle, or restore one to move a seller console to another box.
      </p>
      <BackupManager />
    </div>
  );
}
