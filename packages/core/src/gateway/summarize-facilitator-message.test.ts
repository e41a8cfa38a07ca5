import { describe, expect, it } from "vitest";
import { summarizeFacilitatorMessage } from "./summarize-facilitator-message.ts";

describe("summarizeFacilitatorMessage", () => {
  it("keeps the first line of a viem error, without call details, arguments or versions", () => {
    const viem = [
      'The contract function "transferWithAuthorization" reverted with the following reason:',
      "FiatTokenV2: invalid signature",
      "",
      "Contract Call:",
      "  address:   0x036CbD53842c5426634e7929541eC2318f3dCF7e",
      "  from:      0x9d7f74d0c41e726ec95884e0e97fa6129e3b5e99",
      "Docs: https://viem.sh/docs/contract/writeContract",
      "Version: viem@2.57.20",
    ].join("\n");
    expect(summarizeFacilitatorMessage(viem)).toBe(
      'The contract function "transferWithAuthorization" reverted with the following reason:',
    );
    expect(summarizeFacilitatorMessage("HTTP request failed. URL: http://10.0.0.3:8545 Request body: {}")).toBe(
      "HTTP request failed.",
    );
    expect(summarizeFacilitatorMessage("x".repeat(500))?.length).toBe(160);
    expect(summarizeFacilitatorMessage(undefined)).toBeUndefined();
  });
});
