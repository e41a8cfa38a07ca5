import { type ProviderModelsProbe, providerApiRoot } from "@tollgate/core";

/**
 * Reads a provider's `GET /v1/models` (OpenAI `{data: [{id}]}`) with its key, within a deadline. Failures
 * become a probe result, never a throw; messages name the URL and status, never the key.
 */
export async function readProviderModels({
  baseUrl,
  apiKey,
  timeoutMs = 2_000,
}: {
  baseUrl: string;
  apiKey: string | null;
  timeoutMs?: number;
}): Promise<ProviderModelsProbe> {
  const url = `${providerApiRoot(baseUrl)}/models`;
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    });
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      return { ok: false, reason: "ProviderError", message: `GET ${url} answered HTTP ${res.status}` };
    }
    const body = (await res.json().catch(() => null)) as { data?: unknown } | null;
    const data = body?.data;
    if (!Array.isArray(data)) {
      return { ok: false, reason: "ProviderError", message: `GET ${url} did not answer an OpenAI model list` };
    }
    const ids = data
      .map((m) => (m && typeof m === "object" ? String((m as { id?: unknown }).id ?? "") : ""))
      .filter(Boolean);
    return { ok: true, ids };
  } catch (error) {
    const name = (error as Error).name;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const message =
      name === "TimeoutError" || name === "AbortError"
        ? `GET ${url} did not answer within ${timeoutMs} ms`
        : `GET ${url} failed: ${cause ?? (error as Error).message}`;
    return { ok: false, reason: "ProviderUnreachable", message };
  }
}
