import http from "node:http";
import https from "node:https";

/** The part of a fetch `Response` viem's HTTP transport reads (status, headers, the body as text). */
interface RpcResponse {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: null;
  text(): Promise<string>;
}

/**
 * A `fetch` for viem's `http` transport (`fetchFn`) over node:http with keep-alive sockets. JSON-RPC to the
 * chain is the settlement engine's hottest I/O (a simulation per payment, a broadcast and receipts per batch);
 * the global fetch (undici, web streams) costs several times more CPU per call than a plain request, and the
 * gateway shares two cores with anvil, PostgreSQL and the buyers. Only what a JSON-RPC POST needs: a string
 * body in, the whole answer back as text; an aborted signal (viem's timeout) destroys the request.
 */
export function createRpcFetch({ maxSockets = 16 }: { maxSockets?: number } = {}) {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets }),
  };
  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<RpcResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      const transport = url.protocol === "https:" ? https : http;
      const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const body = typeof init?.body === "string" ? init.body : "";
      headers["content-length"] = String(Buffer.byteLength(body));
      const req = transport.request(url, { method: init?.method ?? "POST", headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          signal?.removeEventListener("abort", onAbort);
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: res.statusMessage ?? "",
            headers: {
              get: (name) => {
                const value = res.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
              },
            },
            body: null,
            text: async () => text,
          });
        });
      });
      const onAbort = () => {
        req.destroy();
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      });
      req.end(body);
    });
  return {
    fetchFn: fetchFn as unknown as typeof fetch,
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
