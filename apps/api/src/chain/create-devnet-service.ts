import type { DevnetInfo } from "@tollgate/core/chains/index";
import type { SecretStore, SettingsStore } from "@tollgate/core/secrets/secret-store";
import { getDevnetInfo } from "./get-devnet-info.ts";

/** What tRPC `devnet.info` and `tollgate devnet info` call. */
export interface DevnetService {
  /** The devnet's addresses, accounts (with keys) and balances; null when it was never started. */
  info(): Promise<DevnetInfo | null>;
}

/** The devnet service over the ledger's secrets and settings. */
export function createDevnetService({
  secrets,
  settings,
}: {
  secrets: SecretStore;
  settings: SettingsStore;
}): DevnetService {
  return { info: () => getDevnetInfo({ secrets, settings }) };
}
