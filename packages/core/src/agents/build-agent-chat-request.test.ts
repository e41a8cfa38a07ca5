import { describe, expect, it } from "vitest";
import { buildAgentChatRequest, renderAgentSystemPrompt } from "./build-agent-chat-request.ts";

const agent = { name: "researcher", objective: "Find sources.", skills: ["research", "summarize"] };

describe("buildAgentChatRequest", () => {
  it("puts the agent's objective and skills first, as the system prompt, over the model it runs on", () => {
    const request = buildAgentChatRequest(
      agent,
      { model: "whatever", messages: [{ role: "user", content: "hi" }], max_tokens: 50, secret: "x" },
      "llama3.2:1b",
    );
    expect(request).toEqual({
      model: "llama3.2:1b",
      messages: [
        { role: "system", content: renderAgentSystemPrompt(agent) },
        { role: "user", content: "hi" },
      ],
      max_tokens: 50,
    });
    expect(renderAgentSystemPrompt(agent)).toContain("Objective: Find sources.");
    expect(renderAgentSystemPrompt(agent)).toContain("Skills: research, summarize.");
  });

  it("refuses bodies that are not a chat, saying why", () => {
    expect(buildAgentChatRequest(agent, [], "m")).toEqual({ refused: "the body must be a JSON object" });
    expect(buildAgentChatRequest(agent, { messages: [] }, "m")).toEqual({
      refused: "messages must be a non-empty array",
    });
    expect(buildAgentChatRequest(agent, { messages: [{ role: "root", content: "x" }] }, "m")).toEqual({
      refused: 'messages: unknown role "root"',
    });
  });
});
