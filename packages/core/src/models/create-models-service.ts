import type { AuditSink } from "../audit/audit-sink.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { OfferRepository } from "../offers/offer-repository.ts";
import { parseInput } from "../offers/parse-input.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { type Model, type ModelEndpoint, type ModelReadiness, type Provider, providerKeySecretName } from "./model.ts";
import type { ModelRepository } from "./model-repository.ts";
import {
  type AddModelInput,
  type AddProviderInput,
  addModelInputSchema,
  addProviderInputSchema,
  type ModelView,
  modelLimits,
  modelNameInputSchema,
  type ProviderView,
  providerNameInputSchema,
} from "./model-schemas.ts";

const unknownReadiness = (since: Date): ModelReadiness => ({
  status: "Unknown",
  reason: "Probing",
  message: "the provider was not read yet",
  lastTransitionTime: since,
});

/**
 * Providers and models (SPEC §13): add, list, remove, and the lookup the gateway (and agents) use to reach a
 * model. A provider's API key goes to the secret store and never comes back out through a view. Removing a
 * model that live offers sell, or a provider that models use, is refused with their names.
 */
export function createModelsService({
  repo,
  secrets,
  audit,
  offers,
  readiness = () => undefined,
  onChange = () => {},
}: {
  repo: ModelRepository;
  secrets: SecretStore;
  audit: AuditSink;
  /** Live offers, to refuse removing a model they sell. */
  offers: Pick<OfferRepository, "list">;
  /** The last `ModelReady` the monitor computed for a model name. */
  readiness?: (modelName: string) => ModelReadiness | undefined;
  /** Called after every change (the monitor re-reads providers, the reconciler re-runs). */
  onChange?: () => void;
}) {
  async function offersByModel(): Promise<Map<string, string[]>> {
    const byModel = new Map<string, string[]>();
    for (const { offer } of await offers.list()) {
      if (offer.type !== "inference" || !offer.model) continue;
      byModel.set(offer.model, [...(byModel.get(offer.model) ?? []), offer.name]);
    }
    return byModel;
  }

  const providerView = (provider: Provider, models: Model[]): ProviderView => ({
    name: provider.name,
    baseUrl: provider.baseUrl,
    hasApiKey: provider.apiKeySecret !== null,
    models: models.filter((m) => m.provider.id === provider.id).map((m) => m.name),
    createdAt: provider.createdAt.toISOString(),
    updatedAt: provider.updatedAt.toISOString(),
  });

  const modelView = (model: Model, offerNames: string[]): ModelView => {
    const ready = readiness(model.name) ?? unknownReadiness(model.createdAt);
    return {
      name: model.name,
      provider: model.provider.name,
      upstreamModel: model.upstreamModel,
      maxTokens: model.maxTokens,
      conditions: [
        {
          type: "ModelReady",
          status: ready.status,
          reason: ready.reason,
          message: ready.message,
          lastTransitionTime: ready.lastTransitionTime.toISOString(),
        },
      ],
      offers: offerNames,
      createdAt: model.createdAt.toISOString(),
      updatedAt: model.updatedAt.toISOString(),
    };
  };

  async function getProvider(name: string): Promise<Provider> {
    const provider = await repo.findProvider(name);
    if (!provider) {
      throw new TollgateError("NOT_FOUND", `No provider named "${name}"`, {
        field: "provider",
        hint: "Add it with: tollgate providers add NAME --base-url URL",
      });
    }
    return provider;
  }

  async function getModel(name: string): Promise<Model> {
    const model = await repo.findModel(name);
    if (!model) {
      throw new TollgateError("NOT_FOUND", `No model named "${name}"`, {
        field: "name",
        hint: "Add it with: tollgate models add NAME --provider P",
      });
    }
    return model;
  }

  return {
    /** Adds a provider; its API key (optional) is stored encrypted and only `hasApiKey` is ever shown. */
    async addProvider({ actor, input }: { actor: string; input: AddProviderInput }): Promise<ProviderView> {
      const parsed = parseInput(addProviderInputSchema, input);
      if (await repo.findProvider(parsed.name)) {
        throw new TollgateError("CONFLICT", `A provider named "${parsed.name}" already exists`, { field: "name" });
      }
      const apiKeySecret = parsed.apiKey === undefined ? null : providerKeySecretName(parsed.name);
      if (apiKeySecret !== null && parsed.apiKey !== undefined) await secrets.set(apiKeySecret, parsed.apiKey);
      const provider = await repo.createProvider({ name: parsed.name, baseUrl: parsed.baseUrl, apiKeySecret });
      await audit.record({
        actor,
        action: "provider.add",
        objectType: "Provider",
        objectId: provider.name,
        after: { baseUrl: provider.baseUrl, hasApiKey: apiKeySecret !== null },
      });
      onChange();
      return providerView(provider, []);
    },

    async listProviders(): Promise<ProviderView[]> {
      const [providers, models] = await Promise.all([repo.listProviders(), repo.listModels()]);
      return providers.map((p) => providerView(p, models));
    },

    /** Removes a provider that no model uses, and its key. */
    async removeProvider({ actor, input }: { actor: string; input: { name: string } }): Promise<ProviderView> {
      const { name } = parseInput(providerNameInputSchema, input);
      const provider = await getProvider(name);
      const models = (await repo.listModels()).filter((m) => m.provider.id === provider.id);
      if (models.length > 0) {
        throw new TollgateError(
          "CONFLICT",
          `Provider "${name}" is used by models: ${models.map((m) => m.name).join(", ")}`,
          { field: "name", hint: "Remove those models first" },
        );
      }
      await repo.deleteProvider(provider.id);
      if (provider.apiKeySecret) await secrets.delete(provider.apiKeySecret);
      await audit.record({ actor, action: "provider.remove", objectType: "Provider", objectId: name });
      onChange();
      return providerView(provider, []);
    },

    /** Adds a model on a provider; readiness is probed right after (ModelReady=Unknown until then). */
    async addModel({ actor, input }: { actor: string; input: AddModelInput }): Promise<ModelView> {
      const parsed = parseInput(addModelInputSchema, input);
      const provider = await getProvider(parsed.provider);
      if (await repo.findModel(parsed.name)) {
        throw new TollgateError("CONFLICT", `A model named "${parsed.name}" already exists`, { field: "name" });
      }
      const model = await repo.createModel({
        name: parsed.name,
        providerId: provider.id,
        upstreamModel: parsed.upstreamModel ?? parsed.name,
        maxTokens: parsed.maxTokens ?? modelLimits.defaultMaxTokens,
      });
      await audit.record({
        actor,
        action: "model.add",
        objectType: "Model",
        objectId: model.name,
        after: { provider: provider.name, upstreamModel: model.upstreamModel, maxTokens: model.maxTokens },
      });
      onChange();
      return modelView(model, []);
    },

    async listModels(): Promise<ModelView[]> {
      const [models, byModel] = await Promise.all([repo.listModels(), offersByModel()]);
      return models.map((m) => modelView(m, byModel.get(m.name) ?? []));
    },

    async showModel({ name }: { name: string }): Promise<ModelView> {
      parseInput(modelNameInputSchema, { name });
      const model = await getModel(name);
      return modelView(model, (await offersByModel()).get(name) ?? []);
    },

    /** Removes a model no live offer sells; otherwise refuses with the offers' names. */
    async removeModel({ actor, input }: { actor: string; input: { name: string } }): Promise<ModelView> {
      const { name } = parseInput(modelNameInputSchema, input);
      const model = await getModel(name);
      const using = (await offersByModel()).get(name) ?? [];
      if (using.length > 0) {
        throw new TollgateError("CONFLICT", `Model "${name}" is sold by offers: ${using.join(", ")}`, {
          field: "name",
          hint: "Delete those offers first (tollgate offers delete NAME)",
        });
      }
      await repo.deleteModel(model.id);
      await audit.record({ actor, action: "model.remove", objectType: "Model", objectId: name });
      onChange();
      return modelView(model, []);
    },

    /** The ledger model with this name, or null (offers use it to tell a ledger model from a plain id). */
    findModel: (name: string): Promise<Model | null> => repo.findModel(name),

    /** Where a model's requests go, with the provider key: for the gateway and agents only, never a client. */
    async getModelEndpoint(name: string): Promise<ModelEndpoint | null> {
      const model = await repo.findModel(name);
      if (!model) return null;
      const apiKey = model.provider.apiKeySecret ? await secrets.get(model.provider.apiKeySecret) : null;
      return {
        model: model.name,
        upstreamModel: model.upstreamModel,
        maxTokens: model.maxTokens,
        baseUrl: model.provider.baseUrl,
        apiKey,
      };
    },
  };
}

export type ModelsService = ReturnType<typeof createModelsService>;
