import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { ProbeResult, UpstreamObservation } from "@tollgate/core";

/**
 * A connection per probe: probes are seconds apart, longer than most servers keep an idle connection, and
 * reusing one the upstream is closing would report a healthy upstream as reset.
 */
const agents = { "http:": new HttpAgent({ keepAlive: false }), "https:": new HttpsAgent({ keepAlive: false }) };
/** A health answer is discarded; a model list larger than this is not an OpenAI `/v1/models` answer. */
const maxBodyBytes = 1024 * 1024;

/**
 * GET with a deadline over `node:http` (lighter than `fetch`, which matters on an idle box probing many
 * upstreams); errors and non-2xx answers become a ProbeResult, never a throw. A redirect is an answer
 * like any other non-2xx: a probe never follows the upstream somewhere else.
 */
function probe(url: string, timeoutMs: number, readBody: boolean): Promise<{ result: ProbeResult; body?: unknown }> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: { result: ProbeResult; body?: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(value);
    };
    const fail = (detail: string) =>
      done({ result: { ok: false, reason: "Unreachable", message: `GET ${url} ${detail}` } });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return fail("failed: not a valid URL");
    }
    const agent =
      target.protocol === "https:" ? agents["https:"] : target.protocol === "http:" ? agents["http:"] : null;
    if (!agent) return fail(`failed: unsupported scheme ${target.protocol}`);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(target, { method: "GET", agent, headers: { accept: "application/json" } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        res.resume();
        return done({ result: { ok: false, reason: "Unhealthy", message: `GET ${url} answered HTTP ${status}` } });
      }
      const ok: ProbeResult = { ok: true, message: `GET ${url} answered HTTP ${status}` };
      if (!readBody) {
        res.resume();
        res.on("end", () => done({ result: ok }));
        res.on("error", () => done({ result: ok }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          res.destroy();
          done({ result: ok, body: undefined });
        } else chunks.push(chunk);
      });
      res.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = undefined;
        }
        done({ result: ok, body });
      });
      res.on("error", (error) => fail(`failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    });
    const deadline = setTimeout(() => {
      fail(`did not answer within ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on("error", (error) => fail(`failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    req.end();
  });
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
  const health = await probe(`${base}${healthPath}`, timeoutMs, false);
  if (!inference) return { url: base, health: health.result };
  const models = await probe(`${base}/v1/models`, timeoutMs, true);
  if (!models.result.ok)
    return { url: base, health: health.result, models: { ok: false, message: models.result.message } };
  const data = (models.body as { data?: unknown } | undefined)?.data;
  const ids = Array.isArray(data)
    ? data.map((m) => (m && typeof m === "object" ? String((m as { id?: unknown }).id ?? "") : "")).filter(Boolean)
    : [];
  return { url: base, health: health.result, models: { ok: true, ids } };
}
