import { chmodSync, existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { ChainSetting } from "@tollgate/core/chains/index";
import { chainSettingKey, chainSettingSchema } from "@tollgate/core/chains/index";
import type { SecretStore, SettingsStore } from "@tollgate/core/secrets/secret-store";
import { type Address, createPublicClient, createTestClient, type Hex, http, isHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type AnvilProcess, endOrphanAnvil, startAnvil } from "./anvil-process.ts";
import { type ChainLogger, silentLogger } from "./chain-logger.ts";
import { deployDevnetContracts, devnetFunding, fundDevnetAccount } from "./deploy-devnet-contracts.ts";
import { devnetChain, devnetChainId } from "./devnet-chain.ts";
import {
  type DevnetAccount,
  type DevnetRole,
  type DevnetSetting,
  devnetSecretNames,
  devnetSettingKey,
  devnetSettingSchema,
} from "./devnet-setting.ts";
import { findFreePort } from "./find-free-port.ts";
import { devnetGasAccounts, gasAccountSecretName } from "./gas-pool.ts";

/** Where the devnet keeps its files under TOLLGATE_HOME. */
export function devnetPaths(home: string): { dir: string; stateFile: string; pidFile: string; logFile: string } {
  const dir = join(home, "devnet");
  return {
    dir,
    stateFile: join(dir, "state.json"),
    pidFile: join(dir, "anvil.pid"),
    logFile: join(dir, "anvil.log"),
  };
}

/** A running devnet: the chain, its contracts and its funded test accounts. */
export interface Devnet {
  rpcUrl: string;
  chainId: number;
  usdc: Address;
  identityRegistry: Address;
  accounts: { seller: DevnetAccount; buyer: DevnetAccount; facilitator: DevnetAccount };
  /** anvil's process id. */
  pid: number;
  /** Stops anvil cleanly (its state is written to disk); safe to call twice. */
  stop(): Promise<void>;
}

export interface StartDevnetOptions {
  /** TOLLGATE_HOME: the devnet lives in `<home>/devnet`. */
  home: string;
  secrets: SecretStore;
  settings: SettingsStore;
  logger?: ChainLogger;
  host?: string;
  /** Port to listen on; default: the last one used if free, else any free port. */
  port?: number;
  /** How often anvil writes its state to disk besides at exit (seconds). */
  stateIntervalSeconds?: number;
}

/** Reads each devnet key from the secret store, creating (and storing) the missing ones. */
async function ensureDevnetKeys(secrets: SecretStore): Promise<Record<DevnetRole, DevnetAccount>> {
  const entries = await Promise.all(
    (Object.keys(devnetSecretNames) as DevnetRole[]).map(async (role) => {
      const name = devnetSecretNames[role];
      let privateKey = (await secrets.get(name)) as Hex | null;
      if (privateKey === null || !isHex(privateKey) || privateKey.length !== 66) {
        privateKey = generatePrivateKey();
        await secrets.set(name, privateKey);
      }
      return [role, { address: privateKeyToAccount(privateKey).address, privateKey }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<DevnetRole, DevnetAccount>;
}

async function readSavedSetting(settings: SettingsStore, logger: ChainLogger): Promise<DevnetSetting | null> {
  const raw = await settings.get(devnetSettingKey);
  if (raw === null) return null;
  const parsed = devnetSettingSchema.safeParse(raw);
  if (!parsed.success) {
    logger.warn({ issues: parsed.error.issues }, "devnet: stored setting is unreadable; deploying afresh");
    return null;
  }
  return parsed.data;
}

/**
 * Starts the embedded devnet: ends an orphaned anvil from a killed server, launches anvil on loopback with
 * state under `<home>/devnet`, and on first start (or when the state was lost) deploys TestUSDC and the
 * IdentityRegistry and funds fresh seller, buyer and facilitator keys. Keys go to `secrets`
 * (`devnet/*-key`), addresses to `settings` (`devnet`), and the `local` chain setting is kept pointing at it.
 */
export async function startDevnet({
  home,
  secrets,
  settings,
  logger = silentLogger,
  host = "127.0.0.1",
  port,
  stateIntervalSeconds = 5,
}: StartDevnetOptions): Promise<Devnet> {
  const paths = devnetPaths(home);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  await endOrphanAnvil({ pidFile: paths.pidFile, stateFile: paths.stateFile, logger });

  const saved = await readSavedSetting(settings, logger);
  const listenPort = port ?? (await findFreePort({ host, preferred: saved?.port }));
  const launch = () =>
    startAnvil({
      stateFile: paths.stateFile,
      pidFile: paths.pidFile,
      logFile: paths.logFile,
      port: listenPort,
      host,
      chainId: devnetChainId,
      stateIntervalSeconds,
      logger,
    });
  let anvil: AnvilProcess;
  try {
    anvil = await launch();
  } catch (error) {
    if (!existsSync(paths.stateFile)) throw error;
    // anvil refuses a state file it cannot load (e.g. cut short by a power loss): keep it aside and start
    // an empty chain; the contracts are redeployed below and the keys (in the ledger) stay the same.
    const aside = `${paths.stateFile}.unreadable-${Date.now()}`;
    renameSync(paths.stateFile, aside);
    logger.error({ err: error, movedTo: aside }, "devnet: anvil could not load its state; starting a fresh chain");
    anvil = await launch();
  }
  try {
    const chain = devnetChain(anvil.rpcUrl);
    const keys = await ensureDevnetKeys(secrets);
    const client = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
    const hasCode = async (address: Address) => ((await client.getCode({ address })) ?? "0x") !== "0x";

    const reusable =
      saved !== null &&
      saved.chainId === devnetChainId &&
      saved.accounts.deployer === keys.deployer.address &&
      (await hasCode(saved.usdc)) &&
      (await hasCode(saved.identityRegistry));
    let contracts: { usdc: Address; identityRegistry: Address };
    const funded = new Set<Address>();
    if (reusable) {
      contracts = { usdc: saved.usdc, identityRegistry: saved.identityRegistry };
      for (const address of Object.values(saved.accounts)) funded.add(address);
      logger.info({ rpcUrl: anvil.rpcUrl, ...contracts }, "devnet: resumed");
    } else {
      contracts = await deployDevnetContracts({ rpcUrl: anvil.rpcUrl, chain, deployerKey: keys.deployer.privateKey });
      logger.info({ rpcUrl: anvil.rpcUrl, ...contracts }, "devnet: contracts deployed");
    }
    const usdcFor: Record<"seller" | "buyer" | "facilitator", bigint> = {
      seller: devnetFunding.sellerUsdc,
      buyer: devnetFunding.buyerUsdc,
      facilitator: 0n,
    };
    for (const role of ["seller", "buyer", "facilitator"] as const) {
      if (funded.has(keys[role].address)) continue;
      await fundDevnetAccount({
        rpcUrl: anvil.rpcUrl,
        chain,
        deployerKey: keys.deployer.privateKey,
        usdcAddress: contracts.usdc,
        address: keys[role].address,
        usdc: usdcFor[role],
      });
      logger.info({ role, address: keys[role].address }, "devnet: account funded");
    }

    await ensureGasPool({ rpcUrl: anvil.rpcUrl, chain, secrets, logger });

    const setting: DevnetSetting = {
      chainId: devnetChainId,
      port: anvil.port,
      rpcUrl: anvil.rpcUrl,
      usdc: contracts.usdc,
      identityRegistry: contracts.identityRegistry,
      accounts: {
        deployer: keys.deployer.address,
        seller: keys.seller.address,
        buyer: keys.buyer.address,
        facilitator: keys.facilitator.address,
      },
      deployedAt: reusable ? saved.deployedAt : new Date().toISOString(),
      stateFile: paths.stateFile,
    };
    await settings.set(devnetSettingKey, setting);
    await ensureLocalChainSetting(settings, anvil.rpcUrl);

    return {
      rpcUrl: anvil.rpcUrl,
      chainId: devnetChainId,
      usdc: contracts.usdc,
      identityRegistry: contracts.identityRegistry,
      accounts: { seller: keys.seller, buyer: keys.buyer, facilitator: keys.facilitator },
      pid: anvil.pid,
      stop: anvil.stop,
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/**
 * Keeps the devnet's pool of gas accounts (slots 1… next to the facilitator key) with keys in the ledger and
 * ETH on chain, so each replica on this ledger settles from its own account (SPEC §15).
 */
async function ensureGasPool({
  rpcUrl,
  chain,
  secrets,
  logger,
}: {
  rpcUrl: string;
  chain: ReturnType<typeof devnetChain>;
  secrets: SecretStore;
  logger: ChainLogger;
}): Promise<void> {
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  const testClient = createTestClient({ chain, mode: "anvil", transport: http(rpcUrl) });
  for (let slot = 1; slot < devnetGasAccounts; slot++) {
    const name = gasAccountSecretName(devnetSecretNames.facilitator, slot);
    let privateKey = (await secrets.get(name)) as Hex | null;
    if (privateKey === null || !isHex(privateKey) || privateKey.length !== 66) {
      privateKey = generatePrivateKey();
      await secrets.set(name, privateKey);
    }
    const address = privateKeyToAccount(privateKey).address;
    if ((await client.getBalance({ address })) < devnetFunding.ethWei / 2n) {
      await testClient.setBalance({ address, value: devnetFunding.ethWei });
      logger.info({ slot, address }, "devnet: gas account funded");
    }
  }
}

/** Points the `local` chain setting at the devnet's RPC URL, keeping whatever else the seller chose. */
async function ensureLocalChainSetting(settings: SettingsStore, rpcUrl: string): Promise<void> {
  const key = chainSettingKey("local");
  const existing = chainSettingSchema.safeParse(await settings.get(key));
  const next: ChainSetting = existing.success
    ? { ...existing.data, rpcUrl }
    : {
        name: "local",
        rpcUrl,
        facilitator: "local",
        registrationSignerSecret: devnetSecretNames.seller,
        enabled: true,
      };
  await settings.set(key, next);
}
