import type { ProbeResult, UpstreamObservation } from "@tollgate/core";

/** GET with a deadline; errors and non-2xx answers become a ProbeResult, never a throw. */
async function probe(url: string, timeoutMs: number): Promise<{ result: ProbeResult; body?: unknown }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel();
      return { result: { ok: false, reason: "Unhealthy", message: `GET ${url} answered HTTP ${res.status}` } };
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { result: { ok: true, message: `GET ${url} answered HTTP ${res.status}` }, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    const message =
      name === "TimeoutError" || name === "AbortError"
        ? `GET ${url} did not answer within ${timeoutMs} ms`
        : `GET ${url} failed: ${cause ?? (error as Error).message}`;
    return { result: { ok: false, reason: "Unreachable", message } };
  }
}

/**
 * Probes an upstream: `GET <upstream><healthPath>` must answer 2xx within the deadline; for inference,
 * `GET <upstream>/v1/models` is read for the model ids (OpenAI `{data: [{id}]}` shape).
 */
export async function probeUpstream({
  url,
  healthPath,
  inference,
  timeoutMs = 2_000,
}: {
  url: string | null;
  healthPath: string;
  inference: boolean;
  timeoutMs?: number;
}): Promise<UpstreamObservation> {
  if (!url) return { url: null, health: { ok: false, reason: "Unreachable", message: "the upstream is not running" } };
  const base = url.replace(/\/+$/, "");
  const health = await probe(`${base}${healthPath}`, timeoutMs);
  if (!inference) return { url: base, health: health.result };
  const models = await probe(`${base}/v1/models`, timeoutMs);
  if (!models.result.ok)
    return { url: base, health: health.result, models: { ok: false, message: models.result.message } };
  const data = (models.body as { data?: unknown } | undefined)?.data;
  const ids = Array.isArray(data)
    ? data.map((m) => (m && typeof m === "object" ? String((m as { id?: unknown }).id ?? "") : "")).filter(Boolean)
    : [];
  return { url: base, health: health.result, models: { ok: true, ids } };
}
