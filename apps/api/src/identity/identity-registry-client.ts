import {
  type Address,
  createWalletClient,
  decodeEventLog,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  publicActions,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { identityRegistryArtifact } from "../../../../contracts/artifacts/index.ts";
import { viemChainFor } from "../chain/viem-chain-for.ts";

const abi = identityRegistryArtifact.abi;

/** What a registration transaction ended as. */
export type RegistryReceipt =
  | { status: "success"; agentId: bigint | null; txHash: Hex }
  | { status: "reverted"; txHash: Hex };

/** The ERC-8004 IdentityRegistry calls the registrar makes, signed by a chain's registration signer. */
export interface IdentityRegistryClient {
  signer: Address;
  /** The signer's native balance (gas money). */
  getBalance(): Promise<bigint>;
  /** `tokenURI(agentId)`, or null when the token does not exist in this registry. */
  readTokenUri(agentId: bigint): Promise<string | null>;
  /**
   * Signs `register(agentURI)` locally, hands its hash to `beforeSend` (so the ledger knows it before it
   * can land), sends it and waits for the receipt.
   */
  register(agentUri: string, beforeSend: (txHash: Hex) => Promise<void>): Promise<RegistryReceipt>;
  /** The same for `setAgentURI(agentId, newURI)`. */
  setAgentUri(agentId: bigint, agentUri: string, beforeSend: (txHash: Hex) => Promise<void>): Promise<RegistryReceipt>;
  /** The receipt of an earlier transaction: null while pending, "unknown" when the chain never saw it. */
  findReceipt(txHash: Hex): Promise<RegistryReceipt | null | "unknown">;
}

/** The agent id of the `Registered` event in a receipt, or null. */
export function readRegisteredAgentId(receipt: TransactionReceipt, registry: Address): bigint | null {
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== registry.toLowerCase()) continue;
    try {
      const event = decodeEventLog({ abi, data: log.data, topics: log.topics, strict: false });
      if (event.eventName === "Registered") return (event.args as { agentId: bigint }).agentId;
    } catch {
      // Not one of the registry's events.
    }
  }
  return null;
}

/** A viem client for one chain's IdentityRegistry and registration signer. */
export function createIdentityRegistryClient({
  rpcUrl,
  chainId,
  registry,
  privateKey,
  receiptTimeoutMs = 120_000,
}: {
  rpcUrl: string;
  chainId: number;
  registry: Address;
  privateKey: Hex;
  receiptTimeoutMs?: number;
}): IdentityRegistryClient {
  const account = privateKeyToAccount(privateKey);
  const wallet = createWalletClient({ account, chain: viemChainFor(chainId, rpcUrl), transport: http(rpcUrl) }).extend(
    publicActions,
  );

  const toReceipt = (receipt: TransactionReceipt): RegistryReceipt =>
    receipt.status === "success"
      ? { status: "success", agentId: readRegisteredAgentId(receipt, registry), txHash: receipt.transactionHash }
      : { status: "reverted", txHash: receipt.transactionHash };

  async function send(data: Hex, beforeSend: (txHash: Hex) => Promise<void>): Promise<RegistryReceipt> {
    // Estimating first turns a revert (or no gas) into an error before anything is signed.
    const request = await wallet.prepareTransactionRequest({ account, to: registry, data, chain: wallet.chain });
    const serialized = await wallet.signTransaction(request as Parameters<typeof wallet.signTransaction>[0]);
    const txHash = keccak256(serialized);
    await beforeSend(txHash);
    await wallet.sendRawTransaction({ serializedTransaction: serialized });
    return toReceipt(await wallet.waitForTransactionReceipt({ hash: txHash, timeout: receiptTimeoutMs }));
  }

  return {
    signer: account.address,
    getBalance: () => wallet.getBalance({ address: account.address }),
    async readTokenUri(agentId) {
      try {
        return await wallet.readContract({ address: registry, abi, functionName: "tokenURI", args: [agentId] });
      } catch (error) {
        // A missing token reverts; anything else (RPC down) is a real error.
        if (error instanceof Error && /revert/i.test(error.message)) return null;
        throw error;
      }
    },
    register: (agentUri, beforeSend) =>
      send(encodeFunctionData({ abi, functionName: "register", args: [agentUri] }), beforeSend),
    setAgentUri: (agentId, agentUri, beforeSend) =>
      send(encodeFunctionData({ abi, functionName: "setAgentURI", args: [agentId, agentUri] }), beforeSend),
    async findReceipt(txHash) {
      try {
        return toReceipt(await wallet.getTransactionReceipt({ hash: txHash }));
      } catch {
        try {
          await wallet.getTransaction({ hash: txHash });
          return null;
        } catch {
          return "unknown";
        }
      }
    },
  };
}
