import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { UpstreamClient } from "../upstream-client.ts";
import type { Metering } from "./create-inference-gateway.ts";

/**
 * Sends a metered chat completion to the model's provider: the rewritten body, the provider's own key as the
 * bearer token (the buyer's Authorization never goes upstream; the gateway stripped it), JSON headers.
 */
export function forwardToProvider({
  upstream,
  metering,
  headers,
  signal,
}: {
  upstream: UpstreamClient;
  metering: Metering;
  /** The sanitized upstream headers the gateway built (payment and hop-by-hop headers removed). */
  headers: OutgoingHttpHeaders;
  signal: AbortSignal;
}): Promise<IncomingMessage> {
  const out: OutgoingHttpHeaders = { ...headers };
  for (const name of ["authorization", "content-length", "transfer-encoding", "content-encoding", "content-type"]) {
    delete out[name];
  }
  out["content-type"] = "application/json";
  out["content-length"] = String(metering.body.length);
  if (metering.apiKey) out.authorization = `Bearer ${metering.apiKey}`;
  return upstream.request({
    url: metering.target,
    method: "POST",
    headers: out,
    body: Readable.from([metering.body]),
    signal,
  });
}

/** Reads a response to the end (error bodies from a provider: small). */
export async function readAll(stream: IncomingMessage, maxBytes = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of a secret in a body with `[redacted]`. */
export function redactSecret(body: Buffer, secret: string): Buffer {
  const text = body.toString("utf8");
  return text.includes(secret) ? Buffer.from(text.split(secret).join("[redacted]"), "utf8") : body;
}
