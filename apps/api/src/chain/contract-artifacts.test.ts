import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  artifactsDir,
  type CompiledContract,
  compileContracts,
  readContractSources,
  renderArtifacts,
} from "./compile-contracts.ts";

let compiled: CompiledContract[];

beforeAll(() => {
  compiled = compileContracts(readContractSources());
}, 60_000);

describe("contracts/artifacts", () => {
  it("match what solc-js compiles from contracts/*.sol (run contracts/compile.ts after editing a contract)", () => {
    expect(compiled.map((c) => c.contractName)).toEqual([
      "IdentityRegistry",
      "Multicall3",
      "Permit2",
      "TestUSDC",
      "X402UptoPermit2Proxy",
    ]);
    for (const [file, expected] of Object.entries(renderArtifacts(compiled))) {
      expect(readFileSync(join(artifactsDir, file), "utf8"), `contracts/artifacts/${file} is stale`).toBe(expected);
    }
  });

  it("exposes the interfaces the x402 facilitator and ERC-8004 clients call", () => {
    type AbiItem = { type: string; name?: string; inputs?: { type: string }[] };
    const functions = (name: string) =>
      ((compiled.find((c) => c.contractName === name)?.abi ?? []) as AbiItem[])
        .filter((item) => item.type === "function" || item.type === "event")
        .map((item) => `${item.name}(${(item.inputs ?? []).map((input) => input.type).join(",")})`);
    expect(functions("TestUSDC")).toEqual(
      expect.arrayContaining([
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
        "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
        "cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)",
        "authorizationState(address,bytes32)",
        "AuthorizationUsed(address,bytes32)",
        "AuthorizationCanceled(address,bytes32)",
        "name()",
        "version()",
        "decimals()",
        "mint(address,uint256)",
      ]),
    );
    expect(functions("IdentityRegistry")).toEqual(
      expect.arrayContaining([
        "register()",
        "register(string)",
        "register(string,tuple[])",
        "tokenURI(uint256)",
        "setAgentURI(uint256,string)",
        "getMetadata(uint256,string)",
        "setMetadata(uint256,string,bytes)",
        "setAgentWallet(uint256,address,uint256,bytes)",
        "getAgentWallet(uint256)",
        "unsetAgentWallet(uint256)",
        "ownerOf(uint256)",
        "balanceOf(address)",
        "transferFrom(address,address,uint256)",
        "Registered(uint256,string,address)",
        "URIUpdated(uint256,string,address)",
        "MetadataSet(uint256,string,string,bytes)",
      ]),
    );
  });
});
