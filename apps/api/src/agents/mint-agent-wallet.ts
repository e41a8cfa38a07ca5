import type { MintedWallet } from "@tollgate/core";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

/** A fresh random EVM wallet for a new agent (called once per agent, at creation). */
export function mintAgentWallet(): MintedWallet {
  const privateKey = generatePrivateKey();
  return { address: privateKeyToAccount(privateKey).address, privateKey };
}
