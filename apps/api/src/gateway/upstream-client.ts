import { buildUpstreamPath } from "@tollgate/core/gateway/index";
import http, { type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";

/** Proxies requests to upstreams over node:http with keep-alive agents (about twice fetch's throughput). */
export interface UpstreamClient {
  /**
   * Sends the request, streaming `body` (the buyer's request) to the upstream; resolves with the upstream
   * response once its headers arrive. `signal` aborts it (the buyer went away).
   */
  request(options: {
    url: URL;
    method: string;
    headers: OutgoingHttpHeaders;
    body: Readable | null;
    signal?: AbortSignal;
  }): Promise<IncomingMessage>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

/** A keep-alive upstream client; `timeoutMs` bounds socket inactivity (slow inference is fine, silence is not). */
export function createUpstreamClient({
  maxSockets = 256,
  timeoutMs = 300_000,
}: {
  maxSockets?: number;
  timeoutMs?: number;
} = {}): UpstreamClient {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64 });
  return {
    request({ url, method, headers, body, signal }) {
      return new Promise((resolve, reject) => {
        const secure = url.protocol === "https:";
        const upstream = (secure ? https : http).request(
          {
            protocol: url.protocol,
            hostname: url.hostname.replace(/^\[|\]$/g, ""),
            port: url.port || (secure ? 443 : 80),
            path: `${url.pathname}${url.search}`,
            method,
            headers: { ...headers, host: url.host },
            agent: secure ? httpsAgent : httpAgent,
            timeout: timeoutMs,
            ...(signal ? { signal } : {}),
          },
          resolve,
        );
        upstream.on("timeout", () => upstream.destroy(new Error(`upstream timed out after ${timeoutMs} ms`)));
        upstream.on("error", reject);
        if (body && method !== "GET" && method !== "HEAD") {
          body.pipe(upstream);
          body.on("error", (error) => upstream.destroy(error));
        } else {
          upstream.end();
        }
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/**
 * The upstream URL for a request: the offer's upstream base, then the path after the route prefix (refused
 * when it would leave the base, see `buildUpstreamPath`), then the query.
 */
export function buildUpstreamUrl({
  upstreamUrl,
  rest,
  search,
}: {
  upstreamUrl: string;
  rest: string;
  search: string;
}): { ok: true; url: URL } | { ok: false; message: string } {
  const base = new URL(upstreamUrl);
  const built = buildUpstreamPath({ basePath: base.pathname, rest });
  if (!built.ok) return built;
  base.pathname = built.path;
  base.search = search;
  return { ok: true, url: base };
}
