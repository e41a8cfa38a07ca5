import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { assessAgentKeys } from "./assess-agent-keys.ts";

const key = generatePrivateKey();
const other = generatePrivateKey();
const agent = (name: string, walletKey: string) => ({
  name,
  walletAddress: privateKeyToAccount(walletKey as `0x${string}`).address,
  walletSecretId: `agents/${name}/wallet-key`,
});

describe("assessAgentKeys", () => {
  it("carries agents whose keys derive their addresses", () => {
    const decision = assessAgentKeys({
      snapshot: { agent: [agent("a", key)] },
      keyOf: (name) => (name === "agents/a/wallet-key" ? key : undefined),
    });
    expect(decision).toMatchObject({ outcome: "carried", agents: ["a"] });
  });

  it("refuses, naming them, agents whose key is missing or belongs to another wallet", () => {
    const decision = assessAgentKeys({
      snapshot: { agent: [agent("a", key), agent("b", key), agent("c", other)] },
      keyOf: (name) => (name === "agents/a/wallet-key" ? key : name === "agents/c/wallet-key" ? key : undefined),
    });
    expect(decision.outcome).toBe("refused");
    expect(decision.agents).toEqual(["b", "c"]);
    expect(decision.message).toContain("b, c");
  });

  it("has nothing to decide without agents", () => {
    expect(assessAgentKeys({ snapshot: {}, keyOf: () => undefined }).outcome).toBe("none");
  });
});
