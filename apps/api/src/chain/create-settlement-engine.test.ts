import {
  type Address,
  encodeEventTopics,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  parseSignature,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { authorizationTypes } from "@x402/evm";
import { describe, expect, it } from "vitest";
import {
  eip3009SettleAbi,
  encodeTransferWithAuthorization,
  type SettlementItem,
  settledInReceipt,
} from "./create-settlement-engine.ts";

const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
const otherToken = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as Address;
const hex = (bytes: number, seed: number) =>
  `0x${Array.from({ length: bytes }, (_, i) => ((seed * 131 + i * 29) % 256).toString(16).padStart(2, "0")).join("")}` as Hex;

async function signedItem(seed: number): Promise<SettlementItem> {
  const buyer = privateKeyToAccount(hex(32, seed + 1));
  const authorization = {
    from: buyer.address,
    to: privateKeyToAccount(hex(32, seed + 2)).address,
    value: String(10_000n * BigInt(seed + 1)),
    validAfter: "0",
    validBefore: String(1_900_000_000 + seed),
    nonce: hex(32, seed + 3),
  };
  const signature = await buyer.signTypedData({
    domain: { name: "USDC", version: "2", chainId: 31337, verifyingContract: token },
    types: authorizationTypes,
    primaryType: "TransferWithAuthorization",
    message: {
      ...authorization,
      value: BigInt(authorization.value),
      validAfter: 0n,
      validBefore: BigInt(authorization.validBefore),
    },
  });
  return { token, authorization, signature };
}

/** viem's generic encoding of the v,r,s overload, the reference. */
function viemEncoding({ authorization: a, signature }: SettlementItem): Hex {
  const { r, s, v, yParity } = parseSignature(signature);
  return encodeFunctionData({
    abi: eip3009SettleAbi,
    functionName: "transferWithAuthorization",
    args: [
      a.from,
      a.to,
      BigInt(a.value),
      BigInt(a.validAfter),
      BigInt(a.validBefore),
      a.nonce,
      Number(v ?? BigInt(yParity + 27)),
      r,
      s,
    ],
  });
}

describe("transferWithAuthorization call data", () => {
  it("equals viem's ABI encoding for signed authorizations, v written as 27/28 or as 0/1", async () => {
    for (let seed = 0; seed < 12; seed++) {
      const item = await signedItem(seed);
      expect(encodeTransferWithAuthorization(item)).toBe(viemEncoding(item));
      const v = Number.parseInt(item.signature.slice(130), 16);
      const compact = { ...item, signature: `${item.signature.slice(0, 130)}0${v - 27}` as Hex };
      expect(encodeTransferWithAuthorization(compact)).toBe(viemEncoding(item));
      // Upper-case hex in, the same lower-case words out.
      const shouting = {
        ...item,
        authorization: {
          ...item.authorization,
          nonce: item.authorization.nonce.toUpperCase().replace("0X", "0x") as Hex,
        },
      };
      expect(encodeTransferWithAuthorization(shouting)).toBe(viemEncoding(item));
    }
  });

  it("refuses what viem refuses: a v byte other than 0/1/27/28, a malformed address, nonce or amount", async () => {
    const item = await signedItem(20);
    const withV = (v: string) => ({ ...item, signature: `${item.signature.slice(0, 130)}${v}` as Hex });
    expect(() => encodeTransferWithAuthorization(withV("1d"))).toThrow(/v/);
    expect(() => encodeTransferWithAuthorization(withV("zz"))).toThrow();
    const broken = (patch: Partial<SettlementItem["authorization"]>) => ({
      ...item,
      authorization: { ...item.authorization, ...patch },
    });
    expect(() => encodeTransferWithAuthorization(broken({ from: "0x1234" as Address }))).toThrow(/address/);
    expect(() => encodeTransferWithAuthorization(broken({ nonce: "0x12" as Hex }))).toThrow(/bytes32/);
    expect(() => encodeTransferWithAuthorization(broken({ value: "-1" }))).toThrow(/uint256/);
    expect(() => encodeTransferWithAuthorization(broken({ value: (1n << 256n).toString() }))).toThrow(/uint256/);
    expect(() => encodeTransferWithAuthorization(broken({ value: "ten" }))).toThrow();
  });
});

describe("which items a receipt settled", () => {
  const used = (address: Address, item: SettlementItem) => ({
    address: address.toLowerCase() as Address,
    topics: encodeEventTopics({
      abi: eip3009SettleAbi,
      eventName: "AuthorizationUsed",
      args: { authorizer: item.authorization.from, nonce: item.authorization.nonce },
    }) as [Hex, ...Hex[]],
    data: "0x" as Hex,
  });
  const transfer = (item: SettlementItem) => ({
    address: token,
    topics: encodeEventTopics({
      abi: erc20Abi,
      eventName: "Transfer",
      args: { from: item.authorization.from, to: item.authorization.to },
    }) as [Hex, ...Hex[]],
    data: hex(32, 1),
  });

  it("the items whose AuthorizationUsed the token itself logged; another token's event or a revert counts nothing", async () => {
    const items = await Promise.all([signedItem(30), signedItem(31), signedItem(32)]);
    const [first, second, third] = items as [SettlementItem, SettlementItem, SettlementItem];
    const logs = [transfer(first), used(token, first), used(otherToken, second), transfer(third), used(token, third)];
    const receipt = { status: "success", logs } as unknown as TransactionReceipt;
    expect(settledInReceipt(receipt, items)).toEqual([true, false, true]);
    expect(settledInReceipt({ ...receipt, status: "reverted" }, items)).toEqual([false, false, false]);
  });
});
