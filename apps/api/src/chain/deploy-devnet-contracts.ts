import {
  type Address,
  type Chain,
  createTestClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  publicActions,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  identityRegistryArtifact,
  multicall3Artifact,
  testUSDCArtifact,
} from "../../../../contracts/artifacts/index.ts";

/** Where public chains have Multicall3; x402 diagnostics read through it. */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** Initial devnet funds: gas for every account, test USDC for the buyer and the seller (6 decimals). */
export const devnetFunding = {
  ethWei: 1_000n * 10n ** 18n,
  buyerUsdc: 1_000_000n * 10n ** 6n,
  sellerUsdc: 1_000n * 10n ** 6n,
} as const;

/**
 * Deploys TestUSDC and the IdentityRegistry from the deployer key (funded first with anvil_setBalance)
 * and returns their addresses.
 */
export async function deployDevnetContracts({
  rpcUrl,
  chain,
  deployerKey,
}: {
  rpcUrl: string;
  chain: Chain;
  deployerKey: Hex;
}): Promise<{ usdc: Address; identityRegistry: Address }> {
  const account = privateKeyToAccount(deployerKey);
  const testClient = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl) });
  await testClient.setBalance({ address: account.address, value: devnetFunding.ethWei });
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) }).extend(publicActions);
  const deploy = async (artifact: { abi: readonly unknown[]; bytecode: Hex }, label: string): Promise<Address> => {
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode });
    const receipt = await wallet.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress)
      throw new Error(`deploying ${label} failed (${hash})`);
    return getAddress(receipt.contractAddress);
  };
  const usdc = await deploy(testUSDCArtifact, "TestUSDC");
  const identityRegistry = await deploy(identityRegistryArtifact, "IdentityRegistry");
  if (((await wallet.getCode({ address: MULTICALL3_ADDRESS })) ?? "0x") === "0x") {
    // Deploy anywhere, then copy the runtime code to the canonical address (Multicall3 has no storage).
    const deployed = await deploy(multicall3Artifact, "Multicall3");
    const code = await wallet.getCode({ address: deployed });
    if (!code) throw new Error("Multicall3 has no code after deployment");
    await testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: code });
  }
  return { usdc, identityRegistry };
}

/** Gives an account gas money (anvil_setBalance) and, when `usdc` is set, mints it test USDC. */
export async function fundDevnetAccount({
  rpcUrl,
  chain,
  deployerKey,
  usdcAddress,
  address,
  usdc,
}: {
  rpcUrl: string;
  chain: Chain;
  deployerKey: Hex;
  usdcAddress: Address;
  address: Address;
  usdc: bigint;
}): Promise<void> {
  const testClient = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl) });
  await testClient.setBalance({ address, value: devnetFunding.ethWei });
  if (usdc === 0n) return;
  const wallet = createWalletClient({
    account: privateKeyToAccount(deployerKey),
    chain,
    transport: http(rpcUrl),
  }).extend(publicActions);
  const hash = await wallet.writeContract({
    address: usdcAddress,
    abi: testUSDCArtifact.abi,
    functionName: "mint",
    args: [address, usdc],
  });
  const receipt = await wallet.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`minting test USDC to ${address} failed (${hash})`);
}
