import type { Metadata } from "next";
import { AgentsManager } from "../../../../components/admin/agents-manager.tsx";

export const metadata: Metadata = { title: "Agents" };

export default function AdminAgentsPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Agents</h1>
      <p className="max-w-2xl text-slate-700">
        Each agent has its own wallet, minted once when it was created and never replaced, and its own ERC-8004 identity
        on every chain it sells on. Agents also buy, within their spend policy. Create them with{" "}
        <code className="font-mono">tollgate agents create NAME --model demo</code>.
      </p>
      <AgentsManager />
    </div>
  );
}
