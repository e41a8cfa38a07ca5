import type { AuthorizationCheck } from "@tollgate/core/payments/index";
import { type Address, createPublicClient, type Hex, http, parseAbi, parseAbiItem } from "viem";
import { viemChainFor } from "../chain/viem-chain-for.ts";

const eip3009Abi = parseAbi(["function authorizationState(address authorizer, bytes32 nonce) view returns (bool)"]);
const authorizationUsedEvent = parseAbiItem(
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
);

/**
 * Asks an EIP-3009 token whether (payer, nonce) was used (`authorizationState`), and if so looks for the
 * `AuthorizationUsed` event to name the transaction (within `lookbackBlocks`; null when not found).
 */
export async function checkAuthorizationOnChain({
  rpcUrl,
  chainId,
  token,
  payer,
  nonce,
  lookbackBlocks = 50_000n,
}: {
  rpcUrl: string;
  chainId: number;
  token: Address;
  payer: Address;
  nonce: Hex;
  lookbackBlocks?: bigint;
}): Promise<AuthorizationCheck> {
  const client = createPublicClient({ chain: viemChainFor(chainId, rpcUrl), transport: http(rpcUrl) });
  const used = await client.readContract({
    address: token,
    abi: eip3009Abi,
    functionName: "authorizationState",
    args: [payer, nonce],
  });
  if (!used) return { used: false };
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
