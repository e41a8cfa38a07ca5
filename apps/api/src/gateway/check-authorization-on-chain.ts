import type { AuthorizationCheck } from "@tollgate/core/payments/index";
import {
  type Address,
  createPublicClient,
  type Hex,
  http,
  parseAbi,
  parseAbiItem,
  TransactionNotFoundError,
} from "viem";
import { viemChainFor } from "../chain/viem-chain-for.ts";

const eip3009Abi = parseAbi(["function authorizationState(address authorizer, bytes32 nonce) view returns (bool)"]);
const authorizationUsedEvent = parseAbiItem(
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
);

/**
 * Asks an EIP-3009 token whether (payer, nonce) was used (`authorizationState`), and if so looks for the
 * `AuthorizationUsed` event to name the transaction (within `lookbackBlocks`; null when not found). With the
 * row's own settlement `txHash`, first asks whether that transaction still waits in the node's pool (asked
 * before the authorization, so a transaction mined in between is never taken for a lost one).
 */
export async function checkAuthorizationOnChain({
  rpcUrl,
  chainId,
  token,
  payer,
  nonce,
  txHash = null,
  lookbackBlocks = 50_000n,
}: {
  rpcUrl: string;
  chainId: number;
  token: Address;
  payer: Address;
  nonce: Hex;
  txHash?: Hex | null;
  lookbackBlocks?: bigint;
}): Promise<AuthorizationCheck> {
  const client = createPublicClient({ chain: viemChainFor(chainId, rpcUrl), transport: http(rpcUrl) });
  const inFlight = txHash ? await isWaitingInPool(client, txHash) : false;
  const used = await client.readContract({
    address: token,
    abi: eip3009Abi,
    functionName: "authorizationState",
    args: [payer, nonce],
  });
  if (!used) return { used: false, inFlight };
  try {
    const latest = await client.getBlockNumber();
    const logs = await client.getLogs({
      address: token,
      event: authorizationUsedEvent,
      args: { authorizer: payer, nonce },
      fromBlock: latest > lookbackBlocks ? latest - lookbackBlocks : 0n,
      toBlock: latest,
    });
    return { used: true, txHash: logs.at(-1)?.transactionHash ?? null };
  } catch {
    // Providers cap log ranges; the settlement stands without its hash.
    return { used: true, txHash: null };
  }
}

/** True when the node knows the transaction but has not mined it. */
async function isWaitingInPool(client: ReturnType<typeof createPublicClient>, hash: Hex): Promise<boolean> {
  const transaction = await client.getTransaction({ hash }).catch((error: unknown) => {
    if (error instanceof TransactionNotFoundError) return null;
    throw error;
  });
  return transaction !== null && transaction.blockNumber === null;
}
