import { x402Client } from "@x402/core/client";
import { x402ResourceServer } from "@x402/core/server";
import type { Network, PaymentPayload, PaymentRequirements } from "@x402/core/types";
import { ExactEvmScheme as ExactEvmClientScheme } from "@x402/evm/exact/client";
import { ExactEvmScheme as ExactEvmServerScheme } from "@x402/evm/exact/server";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hex,
  http,
  parseSignature,
  publicActions,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUSDCArtifact } from "../../../../contracts/artifacts/index.ts";
import { createLocalFacilitator } from "./create-local-facilitator.ts";
import { devnetChain } from "./devnet-chain.ts";
import type { Devnet } from "./start-devnet.ts";
import { startTestDevnet } from "./testing/start-test-devnet.ts";

const network: Network = "eip155:31337";
const PRICE = "10000"; // 0.01 USDC

let devnet: Devnet;
let cleanup: () => Promise<void>;
let facilitator: ReturnType<typeof createLocalFacilitator>;
let requirements: PaymentRequirements;
let buyerClient: x402Client;

const publicClient = () => createPublicClient({ chain: devnetChain(devnet.rpcUrl), transport: http(devnet.rpcUrl) });
const usdcBalance = (address: Address) =>
  publicClient().readContract({ address: devnet.usdc, abi: erc20Abi, functionName: "balanceOf", args: [address] });

/** A fresh payment from the buyer for the requirements, made by the official x402 client. */
async function pay(accepts: PaymentRequirements = requirements): Promise<PaymentPayload> {
  return buyerClient.createPaymentPayload({
    x402Version: 2,
    resource: { url: "http://127.0.0.1/services/test", description: "test", mimeType: "application/json" },
    accepts: [accepts],
  });
}

beforeAll(async () => {
  ({ devnet, cleanup } = await startTestDevnet());
  facilitator = createLocalFacilitator({
    rpcUrl: devnet.rpcUrl,
    chainId: devnet.chainId,
    privateKey: devnet.accounts.facilitator.privateKey,
  });
  // Requirements built by the official resource server against our facilitator, as the gateway will.
  const server = new x402ResourceServer(facilitator).register(network, new ExactEvmServerScheme());
  await server.initialize();
  const built = await server.buildPaymentRequirements({
    scheme: "exact",
    network,
    payTo: devnet.accounts.seller.address,
    price: { asset: devnet.usdc, amount: PRICE, extra: { name: "USDC", version: "2" } },
    maxTimeoutSeconds: 120,
  });
  const first = built[0];
  if (!first) throw new Error("no requirements built");
  requirements = first;
  buyerClient = x402Client.fromConfig({
    schemes: [{ network, client: new ExactEvmClientScheme(privateKeyToAccount(devnet.accounts.buyer.privateKey)) }],
    spendControls: { allowedAssets: [{ network, asset: devnet.usdc, maxAmountPerPayment: "1000000" }] },
  });
}, 60_000);

afterAll(async () => {
  await cleanup?.();
});

describe("local facilitator on the devnet", () => {
  it("is healthy: /supported lists exact on eip155:31337 with its gas account", async () => {
    const health = await facilitator.checkHealth(network);
    expect(health).toMatchObject({ status: "ok", signers: [facilitator.address] });
    const other = await facilitator.checkHealth("eip155:8453");
    expect(other).toMatchObject({ status: "unavailable", reason: "unsupported_network" });
  });

  it("verifies and settles an EIP-3009 payment, moving exactly the amount buyer → seller", async () => {
    const { buyer, seller } = devnet.accounts;
    const [buyerBefore, sellerBefore] = await Promise.all([usdcBalance(buyer.address), usdcBalance(seller.address)]);
    const payload = await pay();

    const verified = await facilitator.verify(payload, requirements);
    expect(verified).toMatchObject({ isValid: true, payer: buyer.address });
    const settled = await facilitator.settle(payload, requirements);
    expect(settled).toMatchObject({ success: true, network, payer: buyer.address });
    expect(settled.transaction).toMatch(/^0x[0-9a-f]{64}$/);

    const receipt = await publicClient().getTransactionReceipt({ hash: settled.transaction as Hex });
    expect(receipt.status).toBe("success");
    const [buyerAfter, sellerAfter] = await Promise.all([usdcBalance(buyer.address), usdcBalance(seller.address)]);
    expect(buyerBefore - buyerAfter).toBe(BigInt(PRICE));
    expect(sellerAfter - sellerBefore).toBe(BigInt(PRICE));
  });

  it("refuses the same authorization a second time, at the facilitator and on chain", async () => {
    const payload = await pay();
    expect((await facilitator.settle(payload, requirements)).success).toBe(true);
    const sellerBefore = await usdcBalance(devnet.accounts.seller.address);

    const reverify = await facilitator.verify(payload, requirements);
    expect(reverify.isValid).toBe(false);
    expect(reverify.invalidReason).toMatch(/nonce|used/i);
    // Settled again, it cannot move money: the settlement engine reports the authorization as used.
    const resettle = await facilitator.settle(payload, requirements);
    expect(resettle.success).toBe(false);
    expect(resettle.errorReason).toBe("invalid_exact_evm_nonce_already_used");

    // The chain itself refuses it too, whoever submits it.
    const auth = (payload.payload as { authorization: Record<string, string>; signature: Hex }).authorization;
    const signature = (payload.payload as { signature: Hex }).signature;
    const seller = createWalletClient({
      account: privateKeyToAccount(devnet.accounts.seller.privateKey),
      chain: devnetChain(devnet.rpcUrl),
      transport: http(devnet.rpcUrl),
    }).extend(publicActions);
    const { v, r, s } = parseSignature(signature);
    await expect(
      seller.simulateContract({
        address: devnet.usdc,
        abi: testUSDCArtifact.abi,
        functionName: "transferWithAuthorization",
        args: [
          auth.from as Address,
          auth.to as Address,
          BigInt(auth.value ?? "0"),
          BigInt(auth.validAfter ?? "0"),
          BigInt(auth.validBefore ?? "0"),
          auth.nonce as Hex,
          Number(v),
          r,
          s,
        ],
      }),
    ).rejects.toThrow(/authorization is used or canceled/);
    expect(await usdcBalance(devnet.accounts.seller.address)).toBe(sellerBefore);
  });

  it("refuses an authorization whose validBefore has passed", async () => {
    const buyer = privateKeyToAccount(devnet.accounts.buyer.privateKey);
    const now = BigInt(Math.floor(Date.now() / 1000));
    const authorization = {
      from: buyer.address,
      to: devnet.accounts.seller.address,
      value: BigInt(PRICE),
      validAfter: now - 600n,
      validBefore: now - 1n,
      nonce: toHex(crypto.getRandomValues(new Uint8Array(32))),
    };
    const signature = await buyer.signTypedData({
      domain: { name: "USDC", version: "2", chainId: devnet.chainId, verifyingContract: devnet.usdc },
      types: {
        TransferWithAuthorization: [
          { name: "from", type: "address" },
          { name: "to", type: "address" },
          { name: "value", type: "uint256" },
          { name: "validAfter", type: "uint256" },
          { name: "validBefore", type: "uint256" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "TransferWithAuthorization",
      message: authorization,
    });
    const payload: PaymentPayload = {
      x402Version: 2,
      accepted: requirements,
      payload: {
        signature,
        authorization: {
          ...authorization,
          value: authorization.value.toString(),
          validAfter: authorization.validAfter.toString(),
          validBefore: authorization.validBefore.toString(),
        },
      },
    };
    const verified = await facilitator.verify(payload, requirements);
    expect(verified.isValid).toBe(false);
    expect(verified.invalidReason).toMatch(/valid_before|expired/i);
    expect((await facilitator.settle(payload, requirements)).success).toBe(false);

    await expect(
      publicClient().simulateContract({
        account: devnet.accounts.seller.address,
        address: devnet.usdc,
        abi: testUSDCArtifact.abi,
        functionName: "transferWithAuthorization",
        args: [
          authorization.from,
          authorization.to,
          authorization.value,
          authorization.validAfter,
          authorization.validBefore,
          authorization.nonce,
          signature,
        ],
      }),
    ).rejects.toThrow(/authorization is expired/);
  });

  it("refuses a payment to someone other than the payee", async () => {
    const payload = await pay({ ...requirements, payTo: devnet.accounts.facilitator.address });
    const verified = await facilitator.verify(payload, requirements);
    expect(verified.isValid).toBe(false);
  });

  it.each([8, 32])(
    "settles %i concurrent payments from one gas account without nonce races, batched into fewer transactions",
    async (count) => {
      const seller = devnet.accounts.seller.address;
      const sellerBefore = await usdcBalance(seller);
      const payloads = await Promise.all(Array.from({ length: count }, () => pay()));
      const results = await Promise.all(payloads.map((payload) => facilitator.settle(payload, requirements)));
      const failures = results.filter((result) => !result.success);
      expect(failures).toEqual([]);
      const hashes = [...new Set(results.map((result) => result.transaction as Hex))];
      expect(hashes.length).toBeLessThan(count);
      for (const hash of hashes) {
        expect((await publicClient().getTransactionReceipt({ hash })).status).toBe("success");
      }
      expect((await usdcBalance(seller)) - sellerBefore).toBe(BigInt(PRICE) * BigInt(count));
    },
    60_000,
  );
});
