import type { SettleHooks } from "@tollgate/core/facilitator/index";
import type { Network, SettleResponse } from "@x402/core/types";
import {
  type Address,
  type Chain,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseAbi,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  toEventSelector,
  toFunctionSelector,
} from "viem";
import type { BlockWatcher } from "./create-block-watcher.ts";
import { createGasWriter, type GasWriter, type SentTransaction } from "./create-gas-writer.ts";

/** An EIP-3009 authorization as the `exact` scheme carries it. */
export interface Eip3009Authorization {
  from: Address;
  to: Address;
  value: string;
  validAfter: string;
  validBefore: string;
  nonce: Hex;
}

/** One payment to settle: a verified authorization for `token`. */
export interface SettlementItem {
  token: Address;
  authorization: Eip3009Authorization;
  signature: Hex;
  /** Its `transferWithAuthorization` call data, when already encoded (verification simulated the same call). */
  callData?: Hex;
}

/** The per-chain settlement engine of an in-process facilitator. */
export interface SettlementEngine {
  /** Settles one authorization, batched with the others that arrive close together. */
  settle(item: SettlementItem, hooks?: SettleHooks): Promise<SettleResponse>;
  /** Ends the batch timer; transactions in flight stay on chain and recovery resolves their payments. */
  stop(): void;
}

/** Reason strings, as the x402 `exact` EVM scheme spells them. */
export const settlementReasons = {
  pending: "settlement_pending",
  transactionFailed: "invalid_exact_evm_transaction_failed",
  nonceUsed: "invalid_exact_evm_nonce_already_used",
  expired: "invalid_exact_evm_payload_authorization_valid_before",
  notYetValid: "invalid_exact_evm_payload_authorization_valid_after",
  refused: "unexpected_settle_error",
} as const;

export const eip3009SettleAbi = parseAbi([
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)",
  "function authorizationState(address authorizer, bytes32 nonce) view returns (bool)",
  "event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)",
]);

export const multicall3Abi = parseAbi([
  "struct Call3 { address target; bool allowFailure; bytes callData; }",
  "struct Result { bool success; bytes returnData; }",
  "function aggregate3(Call3[] calls) payable returns (Result[] returnData)",
]);

const transferWithVrs = toFunctionSelector(
  "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
);
const authorizationUsedTopic = toEventSelector("AuthorizationUsed(address,bytes32)");
const MAX_UINT256 = (1n << 256n) - 1n;

/** A 32-byte ABI word of an address, a uint256 or a bytes32; throws on a value that is none of them. */
function addressWord(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`not an address: ${address}`);
  return address.slice(2).toLowerCase().padStart(64, "0");
}
function uintWord(value: string | number | bigint): string {
  const n = BigInt(value);
  if (n < 0n || n > MAX_UINT256) throw new Error(`not a uint256: ${value}`);
  return n.toString(16).padStart(64, "0");
}
function bytes32Word(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new Error(`not a bytes32: ${value}`);
  return value.slice(2).toLowerCase();
}

/**
 * The call data of the v,r,s overload for a 65-byte signature, written out directly: nine static words after the
 * selector. It is computed for every payment at verification, and viem's generic ABI encoder (with a signature
 * object per call) cost several times more. Throws where viem would: a malformed field or a v byte that is
 * none of 0, 1, 27, 28.
 */
function encodeTransferWithVrs(a: Eip3009Authorization, signature: Hex): Hex {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new Error("not a 65-byte signature");
  const vByte = Number.parseInt(signature.slice(130), 16);
  const v = vByte === 0 || vByte === 1 ? vByte + 27 : vByte;
  if (v !== 27 && v !== 28) throw new Error(`invalid signature v: ${vByte}`);
  return `${transferWithVrs}${addressWord(a.from)}${addressWord(a.to)}${uintWord(a.value)}${uintWord(
    a.validAfter,
  )}${uintWord(a.validBefore)}${bytes32Word(a.nonce)}${uintWord(v)}${signature
    .slice(2, 66)
    .toLowerCase()}${signature.slice(66, 130).toLowerCase()}`;
}

/** The transferWithAuthorization call data (the v,r,s overload for a 65-byte ECDSA signature). */
export function encodeTransferWithAuthorization({ authorization: a, signature, callData }: SettlementItem): Hex {
  if (callData) return callData;
  if (signature.length === 132) return encodeTransferWithVrs(a, signature);
  const base = [
    getAddress(a.from),
    getAddress(a.to),
    BigInt(a.value),
    BigInt(a.validAfter),
    BigInt(a.validBefore),
    a.nonce,
  ] as const;
  return encodeFunctionData({
    abi: eip3009SettleAbi,
    functionName: "transferWithAuthorization",
    args: [...base, signature],
  });
}

/**
 * Items whose `AuthorizationUsed(authorizer indexed, nonce indexed)` event is in the receipt: the ones this
 * transaction settled. Matched on the raw topics (both arguments are indexed), without decoding every log.
 */
export function settledInReceipt(
  receipt: Pick<TransactionReceipt, "status" | "logs">,
  items: readonly SettlementItem[],
): boolean[] {
  if (receipt.status !== "success") return items.map(() => false);
  const used = new Set<string>();
  for (const log of receipt.logs) {
    const [topic, authorizer, nonce] = log.topics;
    if (topic !== authorizationUsedTopic || !authorizer || !nonce || log.topics.length !== 3) continue;
    used.add(`${log.address.toLowerCase()}|0x${authorizer.slice(26).toLowerCase()}|${nonce.toLowerCase()}`);
  }
  return items.map((item) =>
    used.has(
      `${item.token.toLowerCase()}|${item.authorization.from.toLowerCase()}|${item.authorization.nonce.toLowerCase()}`,
    ),
  );
}

interface Queued {
  item: SettlementItem;
  hooks: SettleHooks | undefined;
  resolve(response: SettleResponse): void;
}

/**
 * The settlement engine of one chain (SPEC §7): authorizations that arrive while every writer is busy preparing
 * and broadcasting the previous batch (or within `batchWindowMs` of each other when a window is set; at most
 * `maxBatchSize` of them) go into one Multicall3 `aggregate3` transaction with `allowFailure` per item, so a
 * bad item fails only itself; a lone authorization goes straight to the token. Batches are spread over the gas
 * accounts' writers (least busy first); each writer signs with local nonces. The gas limit comes from one
 * estimate per call shape (token and signature kind), scaled by the batch size, never per payment. The
 * transaction hash reaches `hooks.beforeBroadcast` of every item before the broadcast. A batch without a receipt
 * after `confirmationTimeoutMs` answers `settlement_pending` with its hash; it stays watched (and is replaced if
 * stuck), and recovery settles its payments from the chain.
 */
export function createSettlementEngine({
  network,
  chain,
  client,
  accounts,
  watcher,
  multicall3,
  batchWindowMs = 0,
  maxBatchSize = 100,
  confirmationTimeoutMs = 30_000,
  stuckAfterMs,
  onError = () => {},
}: {
  network: Network;
  chain: Chain;
  client: PublicClient;
  /** Gas accounts: one writer each. */
  accounts: readonly PrivateKeyAccount[];
  watcher: BlockWatcher;
  /** Multicall3's address, or null when the chain has none (every payment then gets its own transaction). */
  multicall3: Address | null;
  batchWindowMs?: number;
  maxBatchSize?: number;
  confirmationTimeoutMs?: number;
  stuckAfterMs?: number;
  onError?: (error: unknown, context: string) => void;
}): SettlementEngine {
  if (accounts.length === 0) throw new Error("the settlement engine needs at least one gas account");
  const writers: GasWriter[] = accounts.map((account) =>
    createGasWriter({
      account,
      chain,
      client,
      watcher,
      ...(stuckAfterMs !== undefined ? { stuckAfterMs } : {}),
      onError,
    }),
  );
  /** Gas of one item per call shape, from one estimate. */
  const gasPerShape = new Map<string, Promise<bigint>>();
  let queued: Queued[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Batches between flush and broadcast: at most one per writer, so items arriving meanwhile join the next. */
  let preparing = 0;

  const payerOf = (item: SettlementItem) => item.authorization.from;
  const shapeOf = (item: SettlementItem) =>
    `${item.token.toLowerCase()}|${item.signature.length === 132 ? "vrs" : "bytes"}`;

  const pickWriter = () => writers.reduce((best, writer) => (writer.inFlight < best.inFlight ? writer : best));

  /** Gas for one transferWithAuthorization of this shape (estimated once, on a real item, with headroom). */
  const itemGas = (item: SettlementItem): Promise<bigint> => {
    const key = shapeOf(item);
    let gas = gasPerShape.get(key);
    if (!gas) {
      gas = client
        .estimateGas({ account: writers[0]?.address, to: item.token, data: encodeTransferWithAuthorization(item) })
        .then((estimate) => estimate);
      gasPerShape.set(key, gas);
      // A bad first item must not fix the shape's figure: forget a failed estimate.
      gas.catch(() => gasPerShape.delete(key));
    }
    return gas;
  };

  const failed = (item: SettlementItem, reason: string, message?: string, transaction = ""): SettleResponse => ({
    success: false,
    errorReason: reason,
    ...(message ? { errorMessage: message } : {}),
    transaction,
    network,
    payer: payerOf(item),
  });

  /** Why an item was not settled: asks the token once (failures are rare, so this read is too). */
  const reasonForFailure = async (item: SettlementItem): Promise<string> => {
    try {
      const used = await client.readContract({
        address: item.token,
        abi: eip3009SettleAbi,
        functionName: "authorizationState",
        args: [item.authorization.from, item.authorization.nonce],
      });
      return used ? settlementReasons.nonceUsed : settlementReasons.transactionFailed;
    } catch {
      return settlementReasons.transactionFailed;
    }
  };

  /** Settles a batch; `broadcastDone` fires once it was broadcast or refused (the writer is free again). */
  async function settleBatch(batch: Queued[], broadcastDone: () => void = () => {}): Promise<void> {
    try {
      await settleBatchOnce(batch, broadcastDone);
    } finally {
      broadcastDone();
    }
  }

  async function settleBatchOnce(batch: Queued[], broadcastDone: () => void): Promise<void> {
    // Gas per item, from the shape's one estimate; an item whose estimate reverts is refused before broadcast.
    const ready: { entry: Queued; gas: bigint }[] = [];
    await Promise.all(
      batch.map(async (entry) => {
        try {
          ready.push({ entry, gas: await itemGas(entry.item) });
        } catch (error) {
          entry.resolve(failed(entry.item, await reasonForFailure(entry.item), messageOf(error)));
        }
      }),
    );
    if (ready.length === 0) return;
    const items = ready.map((r) => r.entry.item);
    let call: { to: Address; data: Hex; gas: bigint };
    if (ready.length === 1 || multicall3 === null) {
      if (ready.length > 1) {
        // No Multicall3 on this chain: one transaction per payment (still pipelined on local nonces).
        await Promise.all(ready.map((r) => settleBatch([r.entry])));
        return;
      }
      const [only] = ready as [{ entry: Queued; gas: bigint }];
      call = {
        to: only.entry.item.token,
        data: encodeTransferWithAuthorization(only.entry.item),
        gas: (only.gas * 6n) / 5n,
      };
    } else {
      // Each item costs at most its lone estimate less the 21,000 base (its cold reads get warm in a batch),
      // plus Multicall3's per-call overhead; 20 % headroom on top.
      const body = ready.reduce((sum, r) => sum + (r.gas - 21_000n) + 6_000n, 0n);
      call = {
        to: multicall3,
        data: encodeFunctionData({
          abi: multicall3Abi,
          functionName: "aggregate3",
          args: [
            items.map((item) => ({
              target: item.token,
              allowFailure: true,
              callData: encodeTransferWithAuthorization(item),
            })),
          ],
        }),
        gas: ((21_000n + body) * 6n) / 5n,
      };
    }
    const entries = ready.map((r) => r.entry);
    const record = async (hash: Hex) => {
      await Promise.all(entries.map((entry) => entry.hooks?.beforeBroadcast?.(hash)));
    };
    let sent: SentTransaction;
    try {
      sent = await pickWriter().send(call, record);
      broadcastDone();
      for (const entry of entries) entry.hooks?.afterBroadcast?.();
    } catch (error) {
      // Refused before broadcast (the node said no, or the ledger could not record the hash): nothing moved.
      onError(error, "a settlement batch was refused before broadcast");
      for (const entry of entries) entry.resolve(failed(entry.item, settlementReasons.refused, messageOf(error)));
      return;
    }
    const receipt = await sent.wait(confirmationTimeoutMs);
    if (!receipt) {
      for (const entry of entries) {
        entry.resolve(
          failed(entry.item, settlementReasons.pending, `No receipt within ${confirmationTimeoutMs} ms`, sent.hash),
        );
      }
      return;
    }
    const settled = settledInReceipt(receipt, items);
    await Promise.all(
      entries.map(async (entry, index) => {
        if (settled[index]) {
          entry.resolve({ success: true, transaction: receipt.transactionHash, network, payer: payerOf(entry.item) });
        } else {
          const reason = await reasonForFailure(entry.item);
          entry.resolve(
            failed(entry.item, reason, "The settlement transaction did not move this payment", receipt.transactionHash),
          );
        }
      }),
    );
  }

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (queued.length === 0) return;
    if (preparing >= writers.length) return; // flushed again when a writer is free
    const batch = queued.slice(0, maxBatchSize);
    queued = queued.slice(batch.length);
    preparing += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      preparing -= 1;
      if (queued.length > 0) flush();
    };
    settleBatch(batch, release).catch((error) => {
      onError(error, "a settlement batch failed unexpectedly");
      for (const entry of batch) entry.resolve(failed(entry.item, settlementReasons.refused, messageOf(error)));
    });
  }

  return {
    settle(item, hooks) {
      const now = BigInt(Math.floor(Date.now() / 1000));
      if (BigInt(item.authorization.validBefore) < now + 6n) {
        return Promise.resolve(
          failed(item, settlementReasons.expired, "The authorization expires before it could settle"),
        );
      }
      if (BigInt(item.authorization.validAfter) > now) {
        return Promise.resolve(failed(item, settlementReasons.notYetValid, "The authorization is not valid yet"));
      }
      return new Promise<SettleResponse>((resolve) => {
        queued.push({ item, hooks, resolve });
        // No window: a free writer takes the item now (a lone payment waits for nothing); while every writer is
        // busy, arrivals queue and leave together as the next batch when one is free.
        if (queued.length >= maxBatchSize || batchWindowMs <= 0) flush();
        else timer ??= setTimeout(flush, batchWindowMs);
      });
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      watcher.stop();
    },
  };
}

function messageOf(error: unknown): string {
  if (error && typeof error === "object" && "shortMessage" in error && typeof error.shortMessage === "string") {
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
