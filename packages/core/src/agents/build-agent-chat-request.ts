import type { Agent } from "./agent.ts";

/** The system prompt an agent runs with: its name, objective and skills. */
export function renderAgentSystemPrompt(agent: Pick<Agent, "name" | "objective" | "skills">): string {
  const lines = [`You are ${agent.name}, an agent sold through Tollgate.`];
  if (agent.objective.trim()) lines.push(`Objective: ${agent.objective.trim()}`);
  if (agent.skills.length) lines.push(`Skills: ${agent.skills.join(", ")}.`);
  return lines.join("\n");
}

/** A chat request refused before it reaches the model, with the field at fault. */
export interface AgentChatRefusal {
  refused: string;
}

/**
 * The request an agent's runtime sends to its model: the buyer's messages after the agent's system prompt
 * (a system message the buyer sent is kept after it), with the model id the provider expects. Only the
 * OpenAI fields a chat needs pass through; anything else the buyer sent is dropped.
 */
export function buildAgentChatRequest(
  agent: Pick<Agent, "name" | "objective" | "skills">,
  body: unknown,
  upstreamModel: string,
): Record<string, unknown> | AgentChatRefusal {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { refused: "the body must be a JSON object" };
  const input = body as Record<string, unknown>;
  const messages = input.messages;
  if (!Array.isArray(messages) || messages.length === 0) return { refused: "messages must be a non-empty array" };
  if (messages.length > 256) return { refused: "messages: at most 256" };
  for (const m of messages) {
    const message = m as { role?: unknown; content?: unknown } | null;
    if (!message || typeof message !== "object" || typeof message.role !== "string") {
      return { refused: "messages: every message needs a role" };
    }
    if (!["system", "user", "assistant", "tool"].includes(message.role)) {
      return { refused: `messages: unknown role "${message.role}"` };
    }
  }
  const request: Record<string, unknown> = {
    model: upstreamModel,
    messages: [{ role: "system", content: renderAgentSystemPrompt(agent) }, ...messages],
  };
  for (const key of ["stream", "max_tokens", "temperature", "top_p", "stop", "stream_options"]) {
    if (input[key] !== undefined) request[key] = input[key];
  }
  return request;
}
