/** A buyer's chat completion request, checked enough to price it and forward it. */
export interface ChatRequest {
  /** The JSON body as the buyer sent it. */
  body: Record<string, unknown>;
  stream: boolean;
  /** `max_tokens` (or `max_completion_tokens`) when the buyer set it. */
  maxTokens: number | null;
  /** A generous estimate of the prompt's tokens (the `upto` maximum covers it). */
  promptEstimate: number;
}

export type ParsedChatRequest = { ok: true; request: ChatRequest } | { ok: false; message: string };

/** Characters per token assumed when estimating a prompt: low, so the estimate errs high. */
const charsPerToken = 3;
/** Tokens each message adds for its role and framing. */
const tokensPerMessage = 4;

function contentLength(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (Array.isArray(content)) {
    return content.reduce<number>((sum, part) => sum + (typeof part?.text === "string" ? part.text.length : 0), 0);
  }
  return 0;
}

/**
 * Reads an OpenAI chat completion body (pure): a JSON object with a non-empty `messages` array, an optional
 * positive integer `max_tokens`, an optional boolean `stream`. Anything else is refused with the field named.
 */
export function parseChatRequest(raw: Buffer): ParsedChatRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, message: "the body must be a JSON object" };
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, message: "the body must be a JSON object" };
  }
  const request = body as Record<string, unknown>;
  const messages = request.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return { ok: false, message: "messages: must be a non-empty array" };
  }
  const limit = request.max_tokens ?? request.max_completion_tokens;
  if (limit !== undefined && limit !== null && !(Number.isSafeInteger(limit) && (limit as number) > 0)) {
    return { ok: false, message: "max_tokens: must be a positive integer" };
  }
  if (request.stream !== undefined && typeof request.stream !== "boolean") {
    return { ok: false, message: "stream: must be true or false" };
  }
  const chars = messages.reduce<number>(
    (sum, m) => sum + contentLength((m as { content?: unknown } | null)?.content),
    0,
  );
  return {
    ok: true,
    request: {
      body: request,
      stream: request.stream === true,
      maxTokens: typeof limit === "number" ? limit : null,
      promptEstimate: Math.ceil(chars / charsPerToken) + tokensPerMessage * messages.length,
    },
  };
}

/**
 * The body sent to the provider (pure): the provider's model id in place of the offer's model name, and on
 * streams `stream_options.include_usage` so the final chunk carries the token usage.
 */
export function rewriteChatRequest(request: ChatRequest, upstreamModel: string): Buffer {
  const body: Record<string, unknown> = { ...request.body, model: upstreamModel };
  if (request.stream) {
    const options = body.stream_options;
    body.stream_options = { ...(options && typeof options === "object" ? options : {}), include_usage: true };
  }
  return Buffer.from(JSON.stringify(body), "utf8");
}
