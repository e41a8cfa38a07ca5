import type { SecretStore } from "@tollgate/core";
import { type Hex, isHex } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { devnetChain } from "../devnet-chain.ts";
import { devnetSecretNames } from "../devnet-setting.ts";
import type { Devnet } from "../start-devnet.ts";
import { createUptoFacilitator, type UptoFacilitator } from "./create-upto-facilitator.ts";
import { placeUptoContracts } from "./place-upto-contracts.ts";

/** The secret holding the upto facilitator's gas key (devnet only: test money). */
export const uptoFacilitatorSecretName = "devnet/upto-facilitator-key";

/** The `upto` facilitator of each chain that has one (the devnet today), by chain name. */
export interface UptoFacilitators {
  get(chainName: string): UptoFacilitator | null;
}

export const noUptoFacilitators: UptoFacilitators = { get: () => null };

async function readOrCreateKey(secrets: SecretStore, name: string): Promise<Hex> {
  const stored = await secrets.get(name);
  if (stored && isHex(stored) && stored.length === 66) return stored;
  const key = generatePrivateKey();
  await secrets.set(name, key);
  return key;
}

/**
 * Readies `upto` on the running devnet (Permit2, the upto proxy, gas, the buyer's allowance) and starts its
 * in-process official upto facilitator for the `local` chain.
 */
export async function startUptoDevnet({
  devnet,
  secrets,
  log,
}: {
  devnet: Devnet;
  secrets: SecretStore;
  log: { info(obj: object, msg: string): void };
}): Promise<UptoFacilitators> {
  const privateKey = await readOrCreateKey(secrets, uptoFacilitatorSecretName);
  const deployerKey = (await secrets.get(devnetSecretNames.deployer)) as Hex | null;
  if (!deployerKey) throw new Error("the devnet deployer key is missing");
  const facilitator = createUptoFacilitator({ rpcUrl: devnet.rpcUrl, chainId: devnet.chainId, privateKey });
  const { placed } = await placeUptoContracts({
    rpcUrl: devnet.rpcUrl,
    chain: devnetChain(devnet.rpcUrl),
    deployerKey,
    buyerKey: devnet.accounts.buyer.privateKey,
    facilitator: facilitator.address,
    usdc: devnet.usdc,
  });
  log.info({ placed, facilitator: facilitator.address }, "devnet: upto ready (Permit2, upto proxy, buyer allowance)");
  return { get: (chainName) => (chainName === "local" ? facilitator : null) };
}
