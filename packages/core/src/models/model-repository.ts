import type { AuditSink } from "../audit/audit-sink.ts";
import type { Model, Provider } from "./model.ts";

/** Providers and models in the ledger. */
export interface ModelRepository {
  listProviders(): Promise<Provider[]>;
  findProvider(name: string): Promise<Provider | null>;
  createProvider(data: { name: string; baseUrl: string; apiKeySecret: string | null }): Promise<Provider>;
  deleteProvider(id: string): Promise<void>;
  listModels(): Promise<Model[]>;
  findModel(name: string): Promise<Model | null>;
  createModel(data: { name: string; providerId: string; upstreamModel: string; maxTokens: number }): Promise<Model>;
  deleteModel(id: string): Promise<void>;
}

export type { AuditSink };
