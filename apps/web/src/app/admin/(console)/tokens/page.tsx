import type { Metadata } from "next";
import { TokensManager } from "../../../../components/admin/tokens-manager.tsx";

export const metadata: Metadata = { title: "API tokens" };

export default function AdminTokensPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">API tokens</h1>
      <p className="max-w-2xl text-slate-700">
        For the CLI and scripts on other machines: <code className="font-mono">tollgate --url … --token …</code>. Read
        tokens can list; admin tokens can change everything.
      </p>
      <TokensManager />
    </div>
  );
}
