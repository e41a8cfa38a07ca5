import { describe, expect, it } from "vitest";
import { TollgateError } from "../errors/error-codes.ts";
import { chainSettingSchema } from "./chain-setting.ts";
import { chainTable } from "./chain-table.ts";
import { findChainByCaip2, findChainById, findChainByName, getChainByName, isChainName } from "./find-chain.ts";
import { resolveChain } from "./resolve-chain.ts";

describe("chain table", () => {
  it("has consistent CAIP-2 ids and chain ids", () => {
    for (const chain of chainTable) {
      expect(chain.caip2).toBe(`eip155:${chain.chainId}`);
      expect(chain.usdc.decimals).toBe(6);
      expect(chain.usdc.transferMethod).toBe("eip3009");
    }
  });

  it("carries the USDC EIP-712 domains of SPEC §6", () => {
    expect(findChainByName("base-sepolia")?.usdc).toMatchObject({
      address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
      eip712: { name: "USDC", version: "2" },
    });
    expect(findChainByName("base")?.usdc.eip712).toEqual({ name: "USD Coin", version: "2" });
    expect(findChainByName("ethereum")?.identityRegistry).toBe("0x8004A169FB4a3325136EB29fA0ceB6D2e539a432");
    expect(findChainByName("local")).toMatchObject({ caip2: "eip155:31337", testnet: true, devnet: true });
  });

  it("only flags the devnet and Base Sepolia as test money", () => {
    expect(chainTable.filter((chain) => chain.testnet).map((chain) => chain.name)).toEqual(["local", "base-sepolia"]);
  });
});

describe("lookups", () => {
  it("finds by name, CAIP-2 and chain id", () => {
    expect(findChainByCaip2("eip155:8453")?.name).toBe("base");
    expect(findChainById(84532)?.name).toBe("base-sepolia");
    expect(findChainByCaip2("eip155:999")).toBeUndefined();
    expect(isChainName("base")).toBe(true);
    expect(isChainName("polygon")).toBe(false);
  });

  it("refuses an unknown chain naming the field and the known ones", () => {
    try {
      getChainByName("polygon", "payment.chain");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TollgateError);
      expect((error as TollgateError).field).toBe("payment.chain");
      expect((error as TollgateError).hint).toContain("base-sepolia");
    }
  });
});

describe("resolveChain", () => {
  const devnet = {
    usdc: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    identityRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  } as const;

  it("fills the devnet's deployed addresses", () => {
    const local = resolveChain({ chain: getChainByName("local"), devnet });
    expect(local.usdc.address).toBe(devnet.usdc);
    expect(local.identityRegistry).toBe(devnet.identityRegistry);
  });

  it("keeps the table's addresses for real chains", () => {
    const base = resolveChain({ chain: getChainByName("base"), devnet });
    expect(base.usdc.address).toBe("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
  });

  it("refuses the devnet before it is deployed", () => {
    expect(() => resolveChain({ chain: getChainByName("local") })).toThrow(/no deployed contracts/);
  });
});

describe("chainSettingSchema", () => {
  it("accepts local or an http(s) facilitator", () => {
    expect(
      chainSettingSchema.parse({ name: "local", rpcUrl: "http://127.0.0.1:8545", facilitator: "local", enabled: true }),
    ).toMatchObject({ name: "local" });
    expect(
      chainSettingSchema.safeParse({
        name: "base-sepolia",
        rpcUrl: "https://sepolia.base.org",
        facilitator: "https://x402.org/facilitator",
        registrationSignerSecret: "chains/base-sepolia/registration-key",
        enabled: false,
      }).success,
    ).toBe(true);
  });

  it("refuses unknown chains, non-http URLs and junk facilitators", () => {
    const base = { name: "base", rpcUrl: "https://mainnet.base.org", facilitator: "local", enabled: true };
    expect(chainSettingSchema.safeParse({ ...base, name: "polygon" }).success).toBe(false);
    expect(chainSettingSchema.safeParse({ ...base, rpcUrl: "ws://x" }).success).toBe(false);
    expect(chainSettingSchema.safeParse({ ...base, facilitator: "remote" }).success).toBe(false);
    expect(chainSettingSchema.safeParse({ ...base, facilitator: "ftp://x.org" }).success).toBe(false);
  });
});
