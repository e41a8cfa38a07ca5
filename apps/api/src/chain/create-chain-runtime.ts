import type { ChainRuntime, ConfiguredChain, SecretStore, SettingsStore } from "@tollgate/core";
import {
  type ChainName,
  type ChainSetting,
  chainNames,
  chainSettingKey,
  chainSettingSchema,
  type DevnetAddresses,
  getChainByName,
  resolveChain,
} from "@tollgate/core/chains/index";
import type { Facilitator } from "@tollgate/core/facilitator/index";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type ChainLogger, silentLogger } from "./chain-logger.ts";
import { createHttpFacilitator } from "./create-http-facilitator.ts";
import { createLocalFacilitator } from "./create-local-facilitator.ts";
import { createUnconfiguredFacilitator } from "./create-unconfigured-facilitator.ts";
import { devnetSecretNames, devnetSettingKey, devnetSettingSchema } from "./devnet-setting.ts";
import { gasAccountSecretName, gasLeaseName, maxGasAccounts } from "./gas-pool.ts";

/** Secret name of the gas key an in-process facilitator uses on a chain (the devnet has its own). */
export function facilitatorKeySecretName(chain: ChainName): string {
  return chain === "local" ? devnetSecretNames.facilitator : `chains/${chain}/facilitator-key`;
}

/** The chain runtime plus cache control for the server. */
export interface ChainRuntimeHandle extends ChainRuntime {
  /** Reads a chain's setting even when it is disabled or its contracts are missing (status pages). */
  getSetting(name: ChainName): Promise<ChainSetting | null>;
  /** Forgets cached chains and facilitators; call when chain settings or secrets change. */
  invalidate(): void;
  /** Stops the settlement engines' timers (call at shutdown; transactions in flight are left to recovery). */
  close(): void;
  /** The gas-account leases were lost (the ledger connection dropped): stop every engine and lease again. */
  releaseGasAccounts(): void;
}

/**
 * The chains this server runs, from the `chains/<name>` settings: each enabled chain with its addresses
 * resolved (the devnet's from the `devnet` setting) and one facilitator, created once and reused (one
 * facilitator per gas account, so its nonce queue is shared by every request).
 */
export function createChainRuntime({
  settings,
  secrets,
  logger = silentLogger,
  leaseGasAccount,
  retryLeaseMs = 2_000,
}: {
  settings: SettingsStore;
  secrets: SecretStore;
  logger?: ChainLogger;
  /**
   * Several replicas on one ledger: takes a gas account's cluster-wide lease (true when this replica holds
   * it). Each replica settles from the first pool account it can lease; without one it waits and retries.
   */
  leaseGasAccount?: (lease: string) => Promise<boolean>;
  retryLeaseMs?: number;
}): ChainRuntimeHandle {
  const chains = new Map<ChainName, Promise<ConfiguredChain | null>>();
  const facilitators = new Map<string, Facilitator>();
  const engines: { close(): void }[] = [];
  /** Chains whose every gas account another replica holds: looked at again after `retryLeaseMs`. */
  const waitingForGas = new Set<ChainName>();
  /** The pool slot this replica leases per chain. */
  const heldSlot = new Map<ChainName, number>();

  /** The first gas account of the chain's pool this replica may write with, or why there is none. */
  const pickGasAccount = async (
    chain: ChainName,
    chainId: number,
  ): Promise<{ keyName: string; privateKey: Hex } | { missing: string } | { busy: number }> => {
    const base = facilitatorKeySecretName(chain);
    let busy = 0;
    // The slot this replica already leases comes first: a re-read keeps its writer (and its nonces).
    const held = heldSlot.get(chain) ?? 0;
    const slots = [held, ...Array.from({ length: maxGasAccounts }, (_, slot) => slot).filter((s) => s !== held)];
    for (const slot of slots) {
      const keyName = gasAccountSecretName(base, slot);
      const privateKey = (await secrets.get(keyName)) as Hex | null;
      if (!privateKey) {
        if (slot === 0) return { missing: keyName };
        continue;
      }
      if (!leaseGasAccount) return { keyName, privateKey };
      if (await leaseGasAccount(gasLeaseName(chainId, privateKeyToAccount(privateKey).address))) {
        heldSlot.set(chain, slot);
        return { keyName, privateKey };
      }
      busy += 1;
    }
    return { busy };
  };

  const getSetting = async (name: ChainName): Promise<ChainSetting | null> => {
    const raw = await settings.get(chainSettingKey(name));
    if (raw === null) return null;
    const parsed = chainSettingSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ chain: name, issues: parsed.error.issues }, "chains: unreadable chain setting ignored");
      return null;
    }
    return parsed.data;
  };

  const readDevnetAddresses = async (): Promise<DevnetAddresses | null> => {
    const parsed = devnetSettingSchema.safeParse(await settings.get(devnetSettingKey));
    return parsed.success ? { usdc: parsed.data.usdc, identityRegistry: parsed.data.identityRegistry } : null;
  };

  const facilitatorFor = async (setting: ChainSetting, chainId: number): Promise<Facilitator> => {
    if (setting.facilitator !== "local") {
      const cacheKey = `http|${setting.facilitator}`;
      let facilitator = facilitators.get(cacheKey);
      if (!facilitator) {
        facilitator = createHttpFacilitator({ url: setting.facilitator });
        facilitators.set(cacheKey, facilitator);
      }
      return facilitator;
    }
    const picked = await pickGasAccount(setting.name, chainId);
    if ("missing" in picked) {
      return createUnconfiguredFacilitator({
        label: "local",
        message: `No gas key for the in-process facilitator on ${setting.name}: store one as the secret "${picked.missing}" or use an http facilitator`,
      });
    }
    if ("busy" in picked) {
      waitingForGas.add(setting.name);
      return createUnconfiguredFacilitator({
        label: "local",
        message: `Every gas account of ${setting.name} (${picked.busy}) is in use by another replica: add one as the secret "${gasAccountSecretName(facilitatorKeySecretName(setting.name), picked.busy)}"; waiting for one to be free`,
      });
    }
    const { keyName, privateKey } = picked;
    const cacheKey = `local|${chainId}|${setting.rpcUrl}|${keyName}|${privateKey}`;
    let facilitator = facilitators.get(cacheKey);
    if (!facilitator) {
      const local = createLocalFacilitator({
        rpcUrl: setting.rpcUrl,
        chainId,
        privateKey: privateKey as Hex,
        onError: (error, context) => logger.warn({ chain: setting.name, err: error }, `settlement: ${context}`),
      });
      engines.push(local);
      facilitator = local;
      facilitators.set(cacheKey, facilitator);
    }
    return facilitator;
  };

  const load = async (name: ChainName): Promise<ConfiguredChain | null> => {
    const setting = await getSetting(name);
    if (!setting?.enabled) return null;
    const definition = getChainByName(name);
    try {
      const chain = resolveChain({ chain: definition, devnet: definition.devnet ? await readDevnetAddresses() : null });
      return { chain, setting, facilitator: await facilitatorFor(setting, chain.chainId) };
    } catch (error) {
      logger.warn({ chain: name, err: error }, "chains: enabled chain is not usable yet");
      return null;
    }
  };

  const get = (name: ChainName): Promise<ConfiguredChain | null> => {
    let pending = chains.get(name);
    if (!pending) {
      pending = load(name);
      chains.set(name, pending);
      // Do not cache failures of the store itself.
      pending.catch(() => chains.delete(name));
      const loading = pending;
      void loading.then(
        () => {
          if (!waitingForGas.delete(name)) return;
          // No free gas account: try the leases again soon (a replica may have died or stopped).
          setTimeout(() => {
            if (chains.get(name) === loading) chains.delete(name);
          }, retryLeaseMs).unref?.();
        },
        () => {},
      );
    }
    return pending;
  };

  return {
    get,
    async list() {
      const all = await Promise.all(chainNames.map((name) => get(name)));
      return all.filter((chain): chain is ConfiguredChain => chain !== null);
    },
    getSetting,
    invalidate() {
      chains.clear();
    },
    close() {
      for (const engine of engines) engine.close();
    },
    releaseGasAccounts() {
      for (const engine of engines.splice(0)) engine.close();
      facilitators.clear();
      chains.clear();
      heldSlot.clear();
    },
  };
}
