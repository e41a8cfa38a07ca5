import type { SecretStore, SettingsStore } from "@tollgate/core";
import { type ChainSetting, chainSettingKey } from "@tollgate/core/chains/index";
import { type ChainRuntimeHandle, createChainRuntime, type Devnet, startDevnet } from "../chain/index.ts";
import type { Logger } from "../logger.ts";

/**
 * Brings the chain layer up: the embedded devnet (unless turned off by TOLLGATE_DEVNET or by
 * disabling the `local` chain setting) and the runtime that hands out one facilitator per chain.
 */
export async function startChains(options: {
  home: string;
  devnetEnabled: boolean;
  secrets: SecretStore;
  settings: SettingsStore;
  log: Logger;
  /** Several replicas on one ledger: each settles from a gas account it leases (SPEC §15). */
  leaseGasAccount?: (lease: string) => Promise<boolean>;
}): Promise<{ runtime: ChainRuntimeHandle; devnet: Devnet | null }> {
  const { home, secrets, settings, log } = options;
  const localSetting = await settings.get<ChainSetting>(chainSettingKey("local"));
  const localDisabled = localSetting !== null && localSetting.enabled === false;
  let devnet: Devnet | null = null;
  if (options.devnetEnabled && !localDisabled) {
    devnet = await startDevnet({ home, secrets, settings, logger: log });
    log.info({ rpcUrl: devnet.rpcUrl, usdc: devnet.usdc, identityRegistry: devnet.identityRegistry }, "devnet is up");
    // The devnet seller is the default payee on `local` unless the seller chose another.
    if ((await settings.get<string>("payees/local")) === null) {
      await settings.set("payees/local", devnet.accounts.seller.address);
    }
  } else {
    log.info(localDisabled ? "devnet off: the local chain is disabled in settings" : "devnet off (TOLLGATE_DEVNET)");
  }
  const runtime = createChainRuntime({
    settings,
    secrets,
    logger: log,
    ...(options.leaseGasAccount ? { leaseGasAccount: options.leaseGasAccount } : {}),
  });
  return { runtime, devnet };
}
