import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiTokenRepository } from "@tollgate/db";
import { resolveCaller } from "../http/caller.ts";
import { sendJson } from "../http/send.ts";
import type { Metrics } from "./create-metrics.ts";

/**
 * GET /metrics in the Prometheus text format. Public on loopback or with `TOLLGATE_METRICS_PUBLIC=on`; else it needs
 * a `read` or `admin` token (`Authorization: Bearer …`).
 */
export async function handleMetricsRequest({
  req,
  res,
  metrics,
  isPublic,
  tokens,
}: {
  req: IncomingMessage;
  res: ServerResponse;
  metrics: Metrics;
  isPublic: boolean;
  tokens: ApiTokenRepository | null;
}): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return sendJson(res, 405, { code: "VALIDATION_FAILED", message: "Use GET /metrics" }, { allow: "GET, HEAD" });
  }
  if (!isPublic) {
    if (!tokens) return sendJson(res, 503, { code: "NOT_READY", message: "Tollgate is starting" });
    const caller = await resolveCaller(req, tokens);
    if (caller.kind === "anonymous") {
      return sendJson(
        res,
        401,
        { code: "UNAUTHENTICATED", message: "/metrics needs a read or admin API token (Authorization: Bearer …)" },
        { "www-authenticate": "Bearer" },
      );
    }
  }
  const { contentType, body } = await metrics.render();
  res.writeHead(200, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
