import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chainSettingKey } from "@tollgate/core/chains/index";
import { createWalletClient, erc20Abi, http, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOrphanAnvil, isProcessAlive, readProcessCommandLine } from "./anvil-process.ts";
import { silentLogger } from "./chain-logger.ts";
import { devnetChain } from "./devnet-chain.ts";
import { devnetSecretNames } from "./devnet-setting.ts";
import { getDevnetInfo } from "./get-devnet-info.ts";
import { type Devnet, devnetPaths, startDevnet } from "./start-devnet.ts";
import { createJsonFileStores } from "./testing/memory-stores.ts";
import { bundleScript } from "../../../../scripts/node-bundle.mjs";

const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
let home: string;
let stores: ReturnType<typeof createJsonFileStores>;
let current: Devnet | undefined;
const started: number[] = [];

/** Pids of live anvil processes running on this home's state file. */
function anvilsOnOurState(): number[] {
  const { stateFile } = devnetPaths(home);
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const args = readProcessCommandLine(pid);
      return args?.some((arg) => arg.includes("anvil")) && args.includes(stateFile);
    });
}

async function start(): Promise<Devnet> {
  current = await startDevnet({ home, ...stores });
  started.push(current.pid);
  return current;
}

async function balances(devnet: Devnet) {
  const info = await getDevnetInfo(stores);
  expect(info?.running).toBe(true);
  // The info points at the running devnet. Its port is reused only when still free (another process
  // may have taken it meanwhile), so the port is not part of what must survive a restart.
  expect(info?.rpcUrl).toBe(devnet.rpcUrl);
  return {
    seller: info?.accounts.seller.usdcBalance,
    buyer: info?.accounts.buyer.usdcBalance,
    facilitatorEth: info?.accounts.facilitator.ethBalance,
  };
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "tollgate-devnet-life-"));
  stores = createJsonFileStores(join(home, "stores.json"));
});

afterAll(async () => {
  await current?.stop();
  for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  rmSync(home, { recursive: true, force: true });
});

describe("devnet lifecycle", () => {
  it("first start deploys the contracts, funds fresh keys and records them", async () => {
    const devnet = await start();
    expect(devnet.chainId).toBe(31337);
    expect(devnet.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await getDevnetInfo(stores);
    expect(info).toMatchObject({ chainId: 31337, usdc: devnet.usdc, identityRegistry: devnet.identityRegistry });
    expect(BigInt(info?.accounts.buyer.usdcBalance ?? "0")).toBeGreaterThanOrEqual(1_000_000n * 10n ** 6n);
    expect(BigInt(info?.accounts.seller.usdcBalance ?? "0")).toBeGreaterThan(0n);
    expect(BigInt(info?.accounts.facilitator.ethBalance ?? "0")).toBeGreaterThan(10n ** 18n);
    expect(info?.accounts.buyer.privateKey).toBe(devnet.accounts.buyer.privateKey);
    // Three distinct fresh keys (not anvil's well-known dev accounts), kept as secrets.
    const addresses = new Set(Object.values(devnet.accounts).map((account) => account.address));
    expect(addresses.size).toBe(3);
    expect(addresses.has("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe(false);
    for (const name of Object.values(devnetSecretNames))
      expect(await stores.secrets.get(name)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await stores.settings.get(chainSettingKey("local"))).toEqual({
      name: "local",
      rpcUrl: devnet.rpcUrl,
      facilitator: "local",
      registrationSignerSecret: "devnet/seller-key",
      enabled: true,
    });
    expect(anvilsOnOurState()).toEqual([devnet.pid]);
  });

  it("stop() ends anvil, and a restart keeps addresses, keys and balances", async () => {
    const devnet = current as Devnet;
    // Move some money so the restart has real state to keep.
    const buyer = createWalletClient({
      account: privateKeyToAccount(devnet.accounts.buyer.privateKey),
      chain: devnetChain(devnet.rpcUrl),
      transport: http(devnet.rpcUrl),
    }).extend(publicActions);
    const hash = await buyer.writeContract({
      address: devnet.usdc,
      abi: erc20Abi,
      functionName: "transfer",
      args: [devnet.accounts.seller.address, 1_234_567n],
    });
    await buyer.waitForTransactionReceipt({ hash });
    const before = await balances(devnet);

    await devnet.stop();
    await devnet.stop(); // idempotent
    expect(isProcessAlive(devnet.pid)).toBe(false);
    expect(anvilsOnOurState()).toEqual([]);
    expect(existsSync(devnetPaths(home).pidFile)).toBe(false);
    expect((await getDevnetInfo(stores))?.running).toBe(false);

    const again = await start();
    expect(again.pid).not.toBe(devnet.pid);
    expect(again.usdc).toBe(devnet.usdc);
    expect(again.identityRegistry).toBe(devnet.identityRegistry);
    expect(again.accounts).toEqual(devnet.accounts);
    expect(await balances(again)).toEqual(before);

    // The restored chain keeps producing blocks on wall-clock time (x402 checks validBefore against it).
    const wallet = createWalletClient({
      account: privateKeyToAccount(again.accounts.seller.privateKey),
      chain: devnetChain(again.rpcUrl),
      transport: http(again.rpcUrl),
    }).extend(publicActions);
    const receipt = await wallet.waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ to: again.accounts.buyer.address, value: 1n }),
    });
    const block = await wallet.getBlock({ blockNumber: receipt.blockNumber });
    expect(Math.abs(Number(block.timestamp) - Date.now() / 1000)).toBeLessThan(30);
  });

  it("after the server is SIGKILLed, the next start ends its orphaned anvil and keeps the chain", async () => {
    const previous = current as Devnet;
    const before = await balances(previous);
    await previous.stop();
    current = undefined;

    // A stand-in server process starts the devnet, then dies by SIGKILL: its anvil is orphaned.
    const script = await bundleScript(join(apiDir, "src/chain/testing/run-devnet-process.ts"));
    const child = spawn(process.execPath, [script, home, join(home, "stores.json")], {
      cwd: apiDir,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const ready = await new Promise<{ pid: number }>((resolve, reject) => {
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split("\n").find((l) => l.startsWith("READY "));
        if (line) resolve(JSON.parse(line.slice("READY ".length)));
      });
      child.once("exit", (code) => reject(new Error(`devnet process exited early (${code})`)));
    });
    started.push(ready.pid);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(isProcessAlive(ready.pid)).toBe(true);
    expect(anvilsOnOurState()).toEqual([ready.pid]);

    const devnet = await start();
    expect(isProcessAlive(ready.pid)).toBe(false);
    expect(anvilsOnOurState()).toEqual([devnet.pid]);
    expect(devnet.usdc).toBe(previous.usdc);
    expect(await balances(devnet)).toEqual(before);
  }, 60_000);

  it("survives an unreadable state file: fresh chain, same keys, contracts redeployed", async () => {
    const previous = current as Devnet;
    await previous.stop();
    current = undefined;
    writeFileSync(devnetPaths(home).stateFile, "{ not json");
    const devnet = await start();
    expect(devnet.accounts).toEqual(previous.accounts);
    const info = await getDevnetInfo(stores);
    expect(info?.running).toBe(true);
    expect(BigInt(info?.accounts.buyer.usdcBalance ?? "0")).toBe(1_000_000n * 10n ** 6n);
    expect(readdirSync(devnetPaths(home).dir).some((file) => file.startsWith("state.json.unreadable-"))).toBe(true);
  });

  it("never ends a process that is not our anvil, even if a stale pid file names it", async () => {
    const { pidFile, stateFile } = devnetPaths(home);
    writeFileSync(pidFile, `${process.pid}\n`);
    expect(await endOrphanAnvil({ pidFile, stateFile, logger: silentLogger })).toBeNull();
    expect(existsSync(pidFile)).toBe(false);
    // Another anvil (someone else's chain, on another state file) is left alone too.
    const devnet = current as Devnet;
    writeFileSync(pidFile, `${devnet.pid}\n`);
    expect(await endOrphanAnvil({ pidFile, stateFile: `${stateFile}.other`, logger: silentLogger })).toBeNull();
    expect(isProcessAlive(devnet.pid)).toBe(true);
  });
});
