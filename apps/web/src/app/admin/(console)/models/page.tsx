import type { Metadata } from "next";
import { ModelsManager } from "../../../../components/admin/models-manager.tsx";

export const metadata: Metadata = { title: "Models" };

export default function AdminModelsPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Models</h1>
      <p className="max-w-2xl text-slate-700">
        Providers are the OpenAI-compatible endpoints (Ollama, vLLM, a hosted API) that serve your models; their keys
        never leave this box. A model is ready when its provider lists it in{" "}
        <code className="font-mono">/v1/models</code>.
      </p>
      <ModelsManager />
    </div>
  );
}
