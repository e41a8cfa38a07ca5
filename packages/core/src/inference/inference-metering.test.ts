import { describe, expect, it } from "vitest";
import { buildPaymentRequirements } from "../testing/fixtures.ts";
import { buildInferenceRequirements } from "./build-inference-requirements.ts";
import { parseChatRequest, rewriteChatRequest } from "./chat-request.ts";
import { computeSettledAmount, computeUptoMaximum, priceTokens } from "./price-tokens.ts";
import { createSseUsageReader, readUsageFromJson } from "./token-usage.ts";

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("per-token pricing", () => {
  it("rounds up to the next atomic unit and never settles more than authorized", () => {
    // 0.50 USDC per 1M tokens = 500,000 atomic per 1M tokens: 31 tokens cost 15.5 -> 16.
    expect(priceTokens({ tokens: 31, pricePerMtok: 500_000n })).toBe(16n);
    expect(priceTokens({ tokens: 0, pricePerMtok: 500_000n })).toBe(0n);
    expect(computeSettledAmount({ totalTokens: 31, pricePerMtok: 500_000n, maximum: 100n })).toBe(16n);
    expect(computeSettledAmount({ totalTokens: 10_000, pricePerMtok: 500_000n, maximum: 100n })).toBe(100n);
    expect(computeSettledAmount({ totalTokens: null, pricePerMtok: 500_000n, maximum: 100n })).toBe(100n);
  });

  it("takes the maximum from the prompt estimate plus max_tokens, capped by the model", () => {
    expect(
      computeUptoMaximum({ promptEstimate: 20, maxTokens: 200, modelMaxTokens: 8192, pricePerMtok: 500_000n }),
    ).toEqual({
      tokens: 220,
      amount: 110n,
    });
    expect(
      computeUptoMaximum({ promptEstimate: 20, maxTokens: null, modelMaxTokens: 1000, pricePerMtok: 500_000n }),
    ).toEqual({
      tokens: 1000,
      amount: 500n,
    });
    expect(computeUptoMaximum({ promptEstimate: 1, maxTokens: 1, modelMaxTokens: 10, pricePerMtok: 1n }).amount).toBe(
      1n,
    );
  });

  it("offers upto then exact at the same maximum, and exact only without an upto facilitator", () => {
    const exact = buildPaymentRequirements();
    const both = buildInferenceRequirements({ exact, maximum: 110n, uptoExtra: { facilitatorAddress: "0xF" } });
    expect(both.map((r) => [r.scheme, r.amount])).toEqual([
      ["upto", "110"],
      ["exact", "110"],
    ]);
    expect(both[0]?.extra).toMatchObject({ assetTransferMethod: "permit2", facilitatorAddress: "0xF" });
    expect(buildInferenceRequirements({ exact, maximum: 5n, uptoExtra: null }).map((r) => r.scheme)).toEqual(["exact"]);
  });
});

describe("chat requests", () => {
  it("refuses what cannot be priced, naming the field", () => {
    expect(parseChatRequest(Buffer.from("nope"))).toMatchObject({ ok: false });
    expect(parseChatRequest(json({ messages: [] }))).toMatchObject({
      ok: false,
      message: expect.stringContaining("messages"),
    });
    const bad = parseChatRequest(json({ messages: [{ role: "user", content: "hi" }], max_tokens: 1.5 }));
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining("max_tokens") });
  });

  it("rewrites the model and asks a stream for its usage", () => {
    const parsed = parseChatRequest(json({ model: "demo", messages: [{ role: "user", content: "hi" }], stream: true }));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.request.maxTokens).toBeNull();
    const body = JSON.parse(rewriteChatRequest(parsed.request, "llama3:8b").toString());
    expect(body).toMatchObject({ model: "llama3:8b", stream: true, stream_options: { include_usage: true } });
  });
});

describe("usage", () => {
  it("reads usage from a JSON completion and from the final SSE chunk split across reads", () => {
    expect(readUsageFromJson(json({ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }))).toEqual({
      promptTokens: 3,
      completionTokens: 4,
      totalTokens: 7,
    });
    expect(readUsageFromJson(json({ choices: [] }))).toBeNull();
    const reader = createSseUsageReader();
    const stream = `data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":5,"total_tokens":7}}\n\ndata: [DONE]\n\n`;
    for (let i = 0; i < stream.length; i += 7) reader.push(stream.slice(i, i + 7));
    expect(reader.finish()).toEqual({ promptTokens: 2, completionTokens: 5, totalTokens: 7 });
  });
});
