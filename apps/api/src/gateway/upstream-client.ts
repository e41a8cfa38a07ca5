import { buildUpstreamPath } from "@tollgate/core/gateway/index";
import { findOwnEndpointByAddresses, type OwnEndpoints } from "@tollgate/core/offers/index";
import { type LookupAddress, type LookupOptions, lookup } from "node:dns";
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
  ownEndpoints,
}: {
  maxSockets?: number;
  timeoutMs?: number;
  /** The server's own ports: a host name that resolves to one is refused when the socket would connect. */
  ownEndpoints?: OwnEndpoints;
} = {}): UpstreamClient {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: 64 });
  return {
    request({ url, method, headers, body, signal }) {
      // A request without a body can be sent again: a pooled socket the upstream closed while it sat idle
      // (its keep-alive timer fired just as we picked the socket, likelier on a loaded box) fails before
      // any answer, and is retried on another socket instead of becoming a 502 (Node's documented pattern).
      const replayable = !body || method === "GET" || method === "HEAD";
      const send = (attempt: number): Promise<IncomingMessage> =>
        sendOnce({ url, method, headers, body, signal }).catch((error: NodeJS.ErrnoException & StaleSocket) => {
          const stale = error.reusedSocket === true && staleCodes.has(error.code ?? "") && !signal?.aborted;
          if (stale && replayable && attempt < maxStaleRetries) return send(attempt + 1);
          throw error;
        });
      return send(0);
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };

  function sendOnce({
    url,
    method,
    headers,
    body,
    signal,
  }: Parameters<UpstreamClient["request"]>[0]): Promise<IncomingMessage> {
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
          ...(ownEndpoints ? { lookup: refusingOwnEndpoints(url, ownEndpoints) } : {}),
          timeout: timeoutMs,
          ...(signal ? { signal } : {}),
        },
        resolve,
      );
      upstream.on("timeout", () => upstream.destroy(new Error(`upstream timed out after ${timeoutMs} ms`)));
      upstream.on("error", (error) => reject(Object.assign(error, { reusedSocket: upstream.reusedSocket })));
      if (body && method !== "GET" && method !== "HEAD") {
        body.pipe(upstream);
        body.on("error", (error) => upstream.destroy(error));
      } else {
        upstream.end();
      }
    });
  }
}

/** How many times a body-less request is re-sent after its pooled socket turned out to be closed. */
const maxStaleRetries = 3;
/** A write on a socket the peer closed: reset ("socket hang up") or a broken pipe. */
const staleCodes = new Set(["ECONNRESET", "EPIPE"]);

/** Whether the failed request had been written on a pooled keep-alive socket (`ClientRequest.reusedSocket`). */
interface StaleSocket {
  reusedSocket?: boolean;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for one upstream that refuses addresses reaching the server's own ports (a name for this
 * machine, or one re-pointed after validation). Only new sockets look up; IP literals were checked before.
 */
function refusingOwnEndpoints(url: URL, own: OwnEndpoints) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, answers) => {
      if (error) return callback(error, "");
      const addresses = answers.map((answer) => answer.address);
      const refused = findOwnEndpointByAddresses(url.href, addresses, own);
      if (refused) return callback(Object.assign(new Error(`upstream ${refused}`), { code: "EOWNENDPOINT" }), "");
      if (options.all) return callback(null, answers);
      const first = answers[0];
      return first ? callback(null, first.address, first.family) : callback(new Error(`${hostname}: no address`), "");
    });
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
