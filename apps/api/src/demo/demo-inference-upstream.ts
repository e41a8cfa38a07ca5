import type { IncomingMessage, ServerResponse } from "node:http";

/** The model the demo inference upstream serves. */
export const demoModel = "tollgate-demo-1";

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
}

/** Whitespace-separated words: the demo's deterministic stand-in for tokens. */
const countTokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * A deterministic OpenAI-compatible upstream: `/health`, `/v1/models`, and `/v1/chat/completions` that
 * answers `Echo: <last user message>` with token usage, as JSON or as SSE chunks when `stream: true`.
 */
export function handleDemoInference(req: IncomingMessage, res: ServerResponse): Promise<void> {
  return answerDemoInference(req, res, 0);
}

/** The demo model server pacing its stream like a real model: one word every `tokenDelayMs` (benchmarks). */
export function createPacedDemoInference(tokenDelayMs: number) {
  return (req: IncomingMessage, res: ServerResponse) => answerDemoInference(req, res, tokenDelayMs);
}

async function answerDemoInference(req: IncomingMessage, res: ServerResponse, tokenDelayMs: number): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/health") return json(res, 200, { status: "ok", model: demoModel });
  if (req.method === "GET" && path === "/v1/models") {
    return json(res, 200, { object: "list", data: [{ id: demoModel, object: "model", owned_by: "tollgate" }] });
  }
  if (req.method !== "POST" || path !== "/v1/chat/completions") {
    return json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "not_found" } });
  }
  let body: { model?: unknown; messages?: unknown; stream?: unknown };
  try {
    body = (await readJson(req)) as typeof body;
  } catch {
    return json(res, 400, { error: { message: "the body must be JSON", type: "invalid_request_error" } });
  }
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  if (messages.length === 0) {
    return json(res, 400, { error: { message: "messages must be a non-empty array", type: "invalid_request_error" } });
  }
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const prompt = messages.map((m) => (typeof m.content === "string" ? m.content : "")).join(" ");
  const reply = `Echo: ${typeof lastUser?.content === "string" ? lastUser.content : ""}`.trim();
  const usage = {
    prompt_tokens: countTokens(prompt),
    completion_tokens: countTokens(reply),
    total_tokens: countTokens(prompt) + countTokens(reply),
  };
  const id = "chatcmpl-demo";
  const created = 1_700_000_000;
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const base = { id, object: "chat.completion.chunk", created, model: demoModel };
    send({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    for (const word of reply.split(/(?<=\s)/)) {
      if (tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
      send({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage });
    res.end("data: [DONE]\n\n");
    return;
  }
  return json(res, 200, {
    id,
    object: "chat.completion",
    created,
    model: demoModel,
    choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
    usage,
  });
}
