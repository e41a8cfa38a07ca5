import { PERMIT2_ADDRESS, x402UptoPermit2ProxyAddress } from "@x402/evm";
import {
  type Address,
  type Chain,
  createTestClient,
  createWalletClient,
  erc20Abi,
  getAddress,
  type Hex,
  http,
  maxUint256,
  publicActions,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { permit2Artifact, x402UptoPermit2ProxyArtifact } from "../../../../../contracts/artifacts/index.ts";

/** Gas for the upto facilitator's account (test ETH). */
const uptoGasWei = 1_000n * 10n ** 18n;

/**
 * Readies a devnet for x402 `upto` (idempotent, run at every start): this repository's Permit2 and x402 upto
 * proxy at the canonical addresses the @x402/evm packages use (deployed anywhere, then their runtime code
 * copied with anvil_setCode: neither has a constructor or immutables), gas for the upto facilitator's
 * account, and the buyer's Permit2 allowance on the test USDC so the buyer can pay with `upto`.
 */
export async function placeUptoContracts({
  rpcUrl,
  chain,
  deployerKey,
  buyerKey,
  facilitator,
  usdc,
}: {
  rpcUrl: string;
  chain: Chain;
  deployerKey: Hex;
  buyerKey: Hex;
  /** The upto facilitator's gas account. */
  facilitator: Address;
  usdc: Address;
}): Promise<{ placed: string[] }> {
  const testClient = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl) });
  const deployer = createWalletClient({
    account: privateKeyToAccount(deployerKey),
    chain,
    transport: http(rpcUrl),
  }).extend(publicActions);
  const placed: string[] = [];
  const targets = [
    { artifact: permit2Artifact, address: getAddress(PERMIT2_ADDRESS) },
    { artifact: x402UptoPermit2ProxyArtifact, address: getAddress(x402UptoPermit2ProxyAddress) },
  ];
  for (const { artifact, address } of targets) {
    if (((await deployer.getCode({ address })) ?? "0x") !== "0x") continue;
    const hash = await deployer.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode });
    const receipt = await deployer.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) {
      throw new Error(`deploying ${artifact.contractName} failed (${hash})`);
    }
    const code = await deployer.getCode({ address: receipt.contractAddress });
    if (!code) throw new Error(`${artifact.contractName} has no code after deployment`);
    await testClient.setCode({ address, bytecode: code });
    placed.push(artifact.contractName);
  }
  if ((await deployer.getBalance({ address: facilitator })) < uptoGasWei / 2n) {
    await testClient.setBalance({ address: facilitator, value: uptoGasWei });
  }
  const buyer = createWalletClient({
    account: privateKeyToAccount(buyerKey),
    chain,
    transport: http(rpcUrl),
  }).extend(publicActions);
  const allowance = await buyer.readContract({
    address: usdc,
    abi: erc20Abi,
    functionName: "allowance",
    args: [buyer.account.address, getAddress(PERMIT2_ADDRESS)],
  });
  if (allowance < maxUint256 / 2n) {
    const hash = await buyer.writeContract({
      address: usdc,
      abi: erc20Abi,
      functionName: "approve",
      args: [getAddress(PERMIT2_ADDRESS), maxUint256],
    });
    const receipt = await buyer.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`the buyer's Permit2 approval failed (${hash})`);
  }
  return { placed };
}
