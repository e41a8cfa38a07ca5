/** Token usage as an OpenAI-compatible provider reports it. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

const count = (value: unknown): number | null =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;

/** The `usage` of a completion or chunk object, or null when it has none (pure). */
export function readUsage(payload: unknown): TokenUsage | null {
  const usage = (payload as { usage?: unknown } | null)?.usage;
  if (!usage || typeof usage !== "object") return null;
  const u = usage as Record<string, unknown>;
  const prompt = count(u.prompt_tokens) ?? 0;
  const completion = count(u.completion_tokens) ?? 0;
  const total = count(u.total_tokens) ?? prompt + completion;
  if (count(u.total_tokens) === null && count(u.prompt_tokens) === null && count(u.completion_tokens) === null)
    return null;
  return { promptTokens: prompt, completionTokens: completion, totalTokens: total };
}

/** The usage of a JSON completion body, or null. */
export function readUsageFromJson(body: Buffer): TokenUsage | null {
  try {
    return readUsage(JSON.parse(body.toString("utf8")));
  } catch {
    return null;
  }
}

/**
 * Watches a server-sent event stream chunk by chunk for the `usage` a provider puts in its final chunk
 * (lines may be split across chunks). Keeps only the unfinished line, so memory stays flat on long streams.
 */
export function createSseUsageReader() {
  let partial = "";
  let usage: TokenUsage | null = null;
  const readLine = (line: string) => {
    if (!line.startsWith("data:")) return;
    const data = line.slice(5).trim();
    if (!data.includes('"usage"')) return;
    try {
      usage = readUsage(JSON.parse(data)) ?? usage;
    } catch {
      // Not JSON (e.g. `[DONE]`): no usage here.
    }
  };
  return {
    push(chunk: Buffer | string): void {
      const text = partial + chunk.toString();
      const lines = text.split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const line of lines) readLine(line);
      // A single line past 1 MB is not an event we read usage from.
      if (partial.length > 1_000_000) partial = "";
    },
    /** The last usage seen, after flushing an unterminated final line. */
    finish(): TokenUsage | null {
      if (partial) readLine(partial);
      partial = "";
      return usage;
    },
  };
}
