/** A provider as the ledger holds it; `apiKeySecret` names the Secret with its key (never the key). */
export interface Provider {
  id: string;
  name: string;
  baseUrl: string;
  apiKeySecret: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A model as the ledger holds it, with its provider. */
export interface Model {
  id: string;
  name: string;
  provider: Provider;
  upstreamModel: string;
  maxTokens: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The readiness of one model, from its provider's `/v1/models`. */
export interface ModelReadiness {
  status: "True" | "False" | "Unknown";
  /** `ModelListed`, `ModelNotFound`, `ProviderUnreachable`, `ProviderError`, `Probing`. */
  reason: string;
  message: string;
  lastTransitionTime: Date;
}

/** Where to send a model's requests and how to authenticate: for the gateway and agents, never for clients. */
export interface ModelEndpoint {
  model: string;
  upstreamModel: string;
  maxTokens: number;
  /** Provider base URL without a trailing `/v1`. */
  baseUrl: string;
  /** The provider's API key, or null. Never log or return it. */
  apiKey: string | null;
}

/** The secret name holding a provider's API key. */
export function providerKeySecretName(providerName: string): string {
  return `providers/${providerName}/api-key`;
}

/** The provider's OpenAI-compatible root (`…/v1`) from a base URL given with or without `/v1`. */
export function providerApiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return trimmed.endsWith("/v1") ? trimmed : `${trimmed}/v1`;
}

/** `model://<name>`: the upstream an inference offer stores when it sells a ledger model. */
export function modelUpstreamUrl(modelName: string): string {
  return `model://${modelName}`;
}

/** The model name of a `model://` upstream, else null. */
export function parseModelUpstreamUrl(url: string): string | null {
  return url.startsWith("model://") ? url.slice("model://".length) || null : null;
}
