import type { DevnetAccountInfo, DevnetInfo } from "@tollgate/core/chains/index";
import type { SecretStore, SettingsStore } from "@tollgate/core/secrets/secret-store";
import { createPublicClient, erc20Abi, formatUnits, http } from "viem";
import { devnetChain } from "./devnet-chain.ts";
import { devnetSecretNames, devnetSettingKey, devnetSettingSchema } from "./devnet-setting.ts";

/**
 * The devnet as the ledger records it, with live balances read from its RPC (null when it is not running).
 * Returns null when the devnet was never started.
 */
export async function getDevnetInfo({
  secrets,
  settings,
  timeoutMs = 3_000,
}: {
  secrets: SecretStore;
  settings: SettingsStore;
  timeoutMs?: number;
}): Promise<DevnetInfo | null> {
  const parsed = devnetSettingSchema.safeParse(await settings.get(devnetSettingKey));
  if (!parsed.success) return null;
  const setting = parsed.data;
  const rpcUrl = setting.rpcUrl;
  const client = createPublicClient({
    chain: devnetChain(rpcUrl),
    transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 0 }),
  });
  let running = true;
  try {
    running = (await client.getChainId()) === setting.chainId;
  } catch {
    running = false;
  }
  const describe = async (role: "seller" | "buyer" | "facilitator"): Promise<DevnetAccountInfo> => {
    const address = setting.accounts[role];
    const privateKey = await secrets.get(devnetSecretNames[role]);
    if (!running) return { address, privateKey, ethBalance: null, usdcBalance: null, usdcBalanceFormatted: null };
    const [eth, usdc] = await Promise.all([
      client.getBalance({ address }),
      client.readContract({ address: setting.usdc, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
    ]);
    return {
      address,
      privateKey,
      ethBalance: eth.toString(),
      usdcBalance: usdc.toString(),
      usdcBalanceFormatted: formatUnits(usdc, 6),
    };
  };
  const [seller, buyer, facilitator] = await Promise.all([
    describe("seller"),
    describe("buyer"),
    describe("facilitator"),
  ]);
  return {
    rpcUrl,
    chainId: setting.chainId,
    running,
    usdc: setting.usdc,
    identityRegistry: setting.identityRegistry,
    accounts: { seller, buyer, facilitator },
  };
}
