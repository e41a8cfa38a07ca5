import { describe, expect, it } from "vitest";
import { TollgateError } from "../errors/error-codes.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { buildOffer } from "../testing/fixtures.ts";
import { computeModelReadiness } from "./compute-model-readiness.ts";
import { createModelsService } from "./create-models-service.ts";
import type { Model, Provider } from "./model.ts";
import type { ModelRepository } from "./model-repository.ts";

function memoryRepo(): ModelRepository {
  const providers: Provider[] = [];
  const models: Model[] = [];
  let id = 0;
  const now = new Date("2026-11-30T12:00:00Z");
  return {
    listProviders: async () => [...providers],
    findProvider: async (name) => providers.find((p) => p.name === name) ?? null,
    async createProvider(data) {
      const p = { id: String(++id), ...data, createdAt: now, updatedAt: now };
      providers.push(p);
      return p;
    },
    async deleteProvider(pid) {
      providers.splice(
        providers.findIndex((p) => p.id === pid),
        1,
      );
    },
    listModels: async () => [...models],
    findModel: async (name) => models.find((m) => m.name === name) ?? null,
    async createModel({ providerId, ...data }) {
      const provider = providers.find((p) => p.id === providerId);
      if (!provider) throw new Error("no provider");
      const m = { id: String(++id), ...data, provider, createdAt: now, updatedAt: now };
      models.push(m);
      return m;
    },
    async deleteModel(mid) {
      models.splice(
        models.findIndex((m) => m.id === mid),
        1,
      );
    },
  };
}

function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
}

function setup(offerModels: string[] = []) {
  const secrets = memorySecrets();
  const offers = offerModels.map((model, i) => ({
    offer: buildOffer({ name: `offer-${i}`, type: "inference", model }),
    conditions: [],
  }));
  const service = createModelsService({
    repo: memoryRepo(),
    secrets,
    audit: { record: async () => {} },
    offers: { list: async () => offers },
  });
  return { service, secrets };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TollgateError);
  return error as TollgateError;
};

describe("models service", () => {
  it("keeps a provider's key in the secret store and never in a view", async () => {
    const { service, secrets } = setup();
    const view = await service.addProvider({
      actor: "t",
      input: { name: "hosted", baseUrl: "https://api.example/v1/", apiKey: "sk-abc" },
    });
    expect(view).toMatchObject({ name: "hosted", baseUrl: "https://api.example/v1", hasApiKey: true });
    expect(JSON.stringify(view)).not.toContain("sk-abc");
    expect(secrets.values.get("providers/hosted/api-key")).toBe("sk-abc");
    await service.addModel({ actor: "t", input: { name: "m", provider: "hosted", upstreamModel: "gpt-x" } });
    expect(await service.getModelEndpoint("m")).toMatchObject({ apiKey: "sk-abc", upstreamModel: "gpt-x" });
    expect(JSON.stringify(await service.listModels())).not.toContain("sk-abc");
  });

  it("refuses bad input naming the field, and paid/ model names", async () => {
    const { service } = setup();
    expect((await refusal(service.addProvider({ actor: "t", input: { name: "x", baseUrl: "ftp://h" } }))).field).toBe(
      "baseUrl",
    );
    await service.addProvider({ actor: "t", input: { name: "p", baseUrl: "http://127.0.0.1:1" } });
    const paid = await refusal(service.addModel({ actor: "t", input: { name: "paid/x", provider: "p" } }));
    expect(paid.field).toBe("name");
    const tokens = await refusal(service.addModel({ actor: "t", input: { name: "m", provider: "p", maxTokens: 0 } }));
    expect(tokens.field).toBe("maxTokens");
  });

  it("refuses to remove a model that offers sell, naming them, and a provider that models use", async () => {
    const { service } = setup(["demo", "demo"]);
    await service.addProvider({ actor: "t", input: { name: "p", baseUrl: "http://127.0.0.1:1" } });
    await service.addModel({ actor: "t", input: { name: "demo", provider: "p" } });
    const model = await refusal(service.removeModel({ actor: "t", input: { name: "demo" } }));
    expect(model.code).toBe("CONFLICT");
    expect(model.message).toContain("offer-0, offer-1");
    const provider = await refusal(service.removeProvider({ actor: "t", input: { name: "p" } }));
    expect(provider.message).toContain("demo");
  });
});

describe("computeModelReadiness", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const later = new Date("2026-11-30T12:01:00Z");
  it("is True when listed, ModelNotFound when not, and keeps the transition time while unchanged", () => {
    const listed = computeModelReadiness({
      upstreamModel: "a",
      probe: { ok: true, ids: ["a", "b"] },
      previous: undefined,
      now,
    });
    expect(listed).toMatchObject({ status: "True", reason: "ModelListed" });
    const same = computeModelReadiness({
      upstreamModel: "a",
      probe: { ok: true, ids: ["a"] },
      previous: listed,
      now: later,
    });
    expect(same.lastTransitionTime).toBe(now);
    const missing = computeModelReadiness({
      upstreamModel: "c",
      probe: { ok: true, ids: ["a"] },
      previous: listed,
      now: later,
    });
    expect(missing).toMatchObject({ status: "False", reason: "ModelNotFound", lastTransitionTime: later });
    const down = computeModelReadiness({
      upstreamModel: "a",
      probe: { ok: false, reason: "ProviderUnreachable", message: "ECONNREFUSED" },
      previous: listed,
      now: later,
    });
    expect(down).toMatchObject({ status: "False", reason: "ProviderUnreachable" });
  });
});
