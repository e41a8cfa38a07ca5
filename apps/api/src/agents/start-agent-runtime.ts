import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  type Agent,
  agentNameOfUpstream,
  buildAgentChatRequest,
  builtInAgentModel,
  type ModelEndpoint,
  providerApiRoot,
} from "@tollgate/core";
import { findOwnEndpointUpstream, type OwnEndpoints } from "@tollgate/core/offers/index";
import { demoModel } from "../demo/demo-inference-upstream.ts";
import { createUpstreamClient } from "../gateway/upstream-client.ts";
import type { Logger } from "../logger.ts";

const maxBodyBytes = 1_000_000;

/** The built-in agent runtime: one loopback server answering for every agent under `/agents/<name>/`. */
export interface AgentRuntime {
  url: string;
  /** `agent://<name>` → this runtime's URL for the agent; other URLs pass through. */
  resolve(url: string): string;
  stop(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new Error(`the body is larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes an upstream's answer through (status, content type, cache control, the body streamed). */
function relay(res: ServerResponse, upstream: Response): void {
  const cacheControl = upstream.headers.get("cache-control");
  res.writeHead(upstream.status, {
    "content-type": upstream.headers.get("content-type") ?? "application/json",
    ...(cacheControl ? { "cache-control": cacheControl } : {}),
  });
  if (!upstream.body) return void res.end();
  Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream).pipe(res);
}

/**
 * Starts the built-in agent runtime (SPEC §13): each agent answers an OpenAI-compatible
 * `POST /agents/<name>/v1/chat/completions` by running its objective and skills as the system prompt over
 * its model (a ledger model through its provider, with the provider key; or the demo model server on a
 * fresh box), plus `GET /agents/<name>/health` and `/v1/models`. Agent-backed offers store `agent://<name>`
 * and the gateway reaches the agent here, after the buyer paid. An agent with an external runtime (`runtimeUrl`)
 * is answered by that runtime instead: its `POST /v1/chat/completions` gets the buyer's request as it came, and
 * its `GET /v1/models` is the agent's health. The URL was checked against the server's own ports when it was
 * set; it is checked again here (a restart can move them), and redirects are not followed.
 */
export async function startAgentRuntime({
  findAgent,
  getModelEndpoint,
  demoInferenceUrl,
  ownEndpoints,
  log,
}: {
  /** The server's own ports: an external runtime may not reach them. */
  ownEndpoints?: OwnEndpoints | undefined;
  findAgent: (name: string) => Promise<Agent | null>;
  getModelEndpoint: (model: string) => Promise<ModelEndpoint | null>;
  /** The demo model server's URL: the model of agents created with `--model demo`. */
  demoInferenceUrl: string;
  log: Logger;
}): Promise<AgentRuntime> {
  async function modelTarget(agent: Agent): Promise<{ url: string; model: string; apiKey: string | null } | null> {
    const endpoint = await getModelEndpoint(agent.model);
    if (endpoint) {
      return {
        url: `${providerApiRoot(endpoint.baseUrl)}/chat/completions`,
        model: endpoint.upstreamModel,
        apiKey: endpoint.apiKey,
      };
    }
    if (agent.model === builtInAgentModel) {
      return { url: `${demoInferenceUrl}/v1/chat/completions`, model: demoModel, apiKey: null };
    }
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const match = /^\/agents\/([a-z0-9-]{1,63})(\/.*)?$/.exec(path);
    const agent = match?.[1] ? await findAgent(match[1]) : null;
    if (!agent) return json(res, 404, { error: { message: "no such agent", type: "not_found" } });
    const rest = match?.[2] ?? "/";
    if (agent.runtimeUrl) return handleExternal(agent.runtimeUrl, agent, rest, req, res);
    if (req.method === "GET" && rest === "/health") return json(res, 200, { status: "ok", agent: agent.name });
    if (req.method === "GET" && rest === "/v1/models") {
      return json(res, 200, { object: "list", data: [{ id: agent.name, object: "model", owned_by: "tollgate" }] });
    }
    if (req.method !== "POST" || rest !== "/v1/chat/completions") {
      return json(res, 404, { error: { message: `no route ${req.method} ${rest}`, type: "not_found" } });
    }
    let body: unknown;
    try {
      const raw = await readBody(req);
      body = raw.length ? JSON.parse(raw.toString("utf8")) : {};
    } catch (error) {
      const message = error instanceof SyntaxError ? "the body must be JSON" : String((error as Error).message);
      return json(res, 400, { error: { message, type: "invalid_request_error" } });
    }
    const target = await modelTarget(agent);
    if (!target) {
      return json(res, 503, {
        error: { message: `the agent's model "${agent.model}" is not in the ledger`, type: "model_unavailable" },
      });
    }
    const request = buildAgentChatRequest(agent, body, target.model);
    if ("refused" in request && typeof request.refused === "string") {
      return json(res, 400, { error: { message: request.refused, type: "invalid_request_error" } });
    }
    const upstream = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
      },
      body: JSON.stringify(request),
    }).catch((error: unknown) => {
      log.warn({ agent: agent.name, err: error }, "an agent's model did not answer");
      return null;
    });
    if (!upstream) return json(res, 502, { error: { message: "the agent's model did not answer", type: "upstream" } });
    relay(res, upstream);
  }

  /** An agent answered by its external runtime: chat completions and models pass through, health is `/v1/models`. */
  async function handleExternal(
    runtimeUrl: string,
    agent: Agent,
    rest: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const refused = ownEndpoints ? findOwnEndpointUpstream(runtimeUrl, ownEndpoints) : null;
    if (refused) {
      log.warn({ agent: agent.name, runtimeUrl }, `an agent's external runtime ${refused}`);
      return json(res, 502, { error: { message: "the agent's runtime is not reachable", type: "upstream" } });
    }
    const api = providerApiRoot(runtimeUrl);
    const isChat = req.method === "POST" && rest === "/v1/chat/completions";
    const isModels = req.method === "GET" && (rest === "/v1/models" || rest === "/health");
    if (!isChat && !isModels) {
      return json(res, 404, { error: { message: `no route ${req.method} ${rest}`, type: "not_found" } });
    }
    let body: Buffer | null = null;
    if (isChat) {
      try {
        body = await readBody(req);
      } catch (error) {
        return json(res, 400, { error: { message: (error as Error).message, type: "invalid_request_error" } });
      }
    }
    // node:http through the gateway's upstream client: no redirects, and a host name that resolves to one of
    // the server's own ports is refused when the socket would connect (a DNS answer can change after the check).
    const upstream = await external
      .request({
        url: new URL(isChat ? `${api}/chat/completions` : `${api}/models`),
        method: isChat ? "POST" : "GET",
        headers: {
          accept: req.headers.accept ?? "application/json",
          ...(body
            ? { "content-type": req.headers["content-type"] ?? "application/json", "content-length": body.length }
            : {}),
        },
        body: body ? Readable.from([body]) : null,
        ...(isChat ? {} : { signal: AbortSignal.timeout(5_000) }),
      })
      .catch((error: unknown) => {
        log.warn({ agent: agent.name, err: error }, "an agent's external runtime did not answer");
        return null;
      });
    const status = upstream?.statusCode ?? 0;
    if (rest === "/health") {
      upstream?.resume();
      return status >= 200 && status < 300
        ? json(res, 200, { status: "ok", agent: agent.name, runtime: "external" })
        : json(res, 503, { status: "unavailable", agent: agent.name, runtime: "external" });
    }
    if (!upstream) {
      return json(res, 502, { error: { message: "the agent's runtime did not answer", type: "upstream" } });
    }
    const cacheControl = upstream.headers["cache-control"];
    res.writeHead(status, {
      "content-type": upstream.headers["content-type"] ?? "application/json",
      ...(cacheControl ? { "cache-control": cacheControl } : {}),
    });
    upstream.pipe(res);
  }

  const external = createUpstreamClient(ownEndpoints ? { ownEndpoints } : {});
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, "the agent runtime failed a request");
      if (!res.headersSent) json(res, 500, { error: { message: "internal error", type: "internal" } });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    resolve(upstreamUrl) {
      const name = agentNameOfUpstream(upstreamUrl);
      return name ? `${url}/agents/${name}` : upstreamUrl;
    },
    async stop() {
      external.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
