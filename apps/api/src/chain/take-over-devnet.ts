import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { chainSettingKey, chainSettingSchema } from "@tollgate/core/chains/index";
import type { SecretStore, SettingsStore } from "@tollgate/core/secrets/secret-store";
import { isRpcReady } from "./anvil-process.ts";
import type { ChainLogger } from "./chain-logger.ts";
import { devnetSettingKey, devnetSettingSchema } from "./devnet-setting.ts";
import { type Devnet, devnetPaths, startDevnet } from "./start-devnet.ts";

/**
 * A replica that became the leader takes the devnet over (SPEC §15). When the chain the ledger points at
 * still answers (a killed leader's anvil outlives it), it is adopted as it is: nothing restarts and no state
 * is lost. Otherwise the devnet starts under this replica's home, from the previous leader's state file when
 * it is on this box, so balances, contracts and agent ids survive. Returns the devnet it started, or null.
 */
export async function takeOverDevnet({
  home,
  secrets,
  settings,
  logger,
}: {
  home: string;
  secrets: SecretStore;
  settings: SettingsStore;
  logger: ChainLogger;
}): Promise<Devnet | null> {
  const local = chainSettingSchema.safeParse(await settings.get(chainSettingKey("local")));
  if (local.success && !local.data.enabled) return null;
  const saved = devnetSettingSchema.safeParse(await settings.get(devnetSettingKey));
  if (saved.success && (await isRpcReady(saved.data.rpcUrl))) {
    logger.info({ rpcUrl: saved.data.rpcUrl }, "devnet: adopted the chain the previous leader started");
    return null;
  }
  const own = devnetPaths(home);
  const previous = saved.success ? saved.data.stateFile : undefined;
  if (previous && previous !== own.stateFile && existsSync(previous)) {
    mkdirSync(own.dir, { recursive: true, mode: 0o700 });
    copyFileSync(previous, own.stateFile);
    logger.info({ from: previous }, "devnet: restarting from the previous leader's state");
  }
  return startDevnet({ home, secrets, settings, logger });
}
