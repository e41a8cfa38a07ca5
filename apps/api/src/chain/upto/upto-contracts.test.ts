import { x402UptoPermit2ProxyABI } from "@x402/evm";
import { type Abi, toFunctionSelector } from "viem";
import { describe, expect, it } from "vitest";
import { permit2Artifact, x402UptoPermit2ProxyArtifact } from "../../../../../contracts/artifacts/index.ts";

const selectors = (abi: Abi) =>
  abi.filter((item) => item.type === "function").map((item) => toFunctionSelector(item as never));

describe("the devnet's upto contracts", () => {
  it("implement every function of the x402 upto proxy ABI the official facilitator calls", () => {
    const ours = new Set(selectors(x402UptoPermit2ProxyArtifact.abi as Abi));
    for (const selector of selectors(x402UptoPermit2ProxyABI as Abi)) expect(ours).toContain(selector);
    expect(ours).toContain("0xff11e7b4"); // settle
  });

  it("give Permit2 the witness transfer and the nonce bitmap at Uniswap's selectors", () => {
    const ours = new Set(selectors(permit2Artifact.abi as Abi));
    expect(ours).toContain("0x137c29fe"); // permitWitnessTransferFrom
    expect(ours).toContain(toFunctionSelector("nonceBitmap(address,uint256)"));
  });
});
