import {
  type Address,
  BaseError,
  type Chain,
  type Hex,
  HttpRequestError,
  keccak256,
  type PrivateKeyAccount,
  type PublicClient,
  TimeoutError,
  type TransactionReceipt,
} from "viem";
import type { BlockWatcher } from "./create-block-watcher.ts";
import { createSerialQueue } from "./serial-queue.ts";

/** A call the writer turns into a transaction. */
export interface GasWriterCall {
  to: Address;
  data: Hex;
  gas: bigint;
}

/** A transaction the writer broadcast (or may have: the node did not answer) and keeps watching. */
export interface SentTransaction {
  nonce: number;
  /** The original hash first, then each replacement's. */
  hashes: readonly Hex[];
  /** The hash most recently broadcast. */
  readonly hash: Hex;
  /** The receipt of whichever version was mined, or null when `timeoutMs` passed first. */
  wait(timeoutMs: number): Promise<TransactionReceipt | null>;
}

/** The node refused the transaction: it was not broadcast, and its nonce was not used. */
export class BroadcastRefusedError extends Error {
  override readonly name = "BroadcastRefusedError";
}

/** Fees of an EIP-1559 transaction. */
interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** One writer per gas account: the only code that signs with its nonces. */
export interface GasWriter {
  readonly address: Address;
  /** Transactions sent and not yet mined. */
  readonly inFlight: number;
  /**
   * Signs the call at the next local nonce, hands the hash to `beforeBroadcast` (the ledger records it before
   * the transaction exists anywhere) and broadcasts it. A stuck transaction is later replaced at the same nonce
   * with a higher fee; `beforeBroadcast` sees every replacement hash too.
   */
  send(call: GasWriterCall, beforeBroadcast: (hash: Hex) => Promise<void>): Promise<SentTransaction>;
}

const FEE_TTL_MS = 5_000;

/** True when the node answered with a JSON-RPC error (it refused), false for a transport failure (unknown). */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  const transport = error.walk((cause) => cause instanceof HttpRequestError || cause instanceof TimeoutError);
  if (transport instanceof TimeoutError) return false;
  if (transport instanceof HttpRequestError && transport.status === undefined) return false;
  return true;
}

function isNonceError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /nonce too low|nonce.*already|already known|replacement transaction underpriced/i.test(message);
}

/**
 * A gas account's writer: transactions are signed locally with nonces it tracks itself (read once from the
 * chain, re-read only after the node says a nonce is taken), broadcast one at a time in nonce order, and
 * watched through the chain's block watcher. A transaction not mined after `stuckAfterMs` is re-signed at the
 * same nonce with fees raised by `feeBumpPercent` (at most `maxReplacements` times).
 */
export function createGasWriter({
  account,
  chain,
  client,
  watcher,
  stuckAfterMs = 30_000,
  feeBumpPercent = 25n,
  maxReplacements = 5,
  onError = () => {},
}: {
  account: PrivateKeyAccount;
  chain: Chain;
  client: Pick<PublicClient, "getTransactionCount" | "estimateFeesPerGas" | "request">;
  watcher: BlockWatcher;
  stuckAfterMs?: number;
  feeBumpPercent?: bigint;
  maxReplacements?: number;
  onError?: (error: unknown, context: string) => void;
}): GasWriter {
  const queue = createSerialQueue();
  let nextNonce: number | undefined;
  let fees: { value: Fees; at: number } | undefined;
  let inFlight = 0;

  const currentFees = async (): Promise<Fees> => {
    if (!fees || Date.now() - fees.at > FEE_TTL_MS) {
      const estimate = await client.estimateFeesPerGas({ chain, type: "eip1559" });
      fees = {
        value: { maxFeePerGas: estimate.maxFeePerGas, maxPriorityFeePerGas: estimate.maxPriorityFeePerGas },
        at: Date.now(),
      };
    }
    return fees.value;
  };

  const readNonce = async () => client.getTransactionCount({ address: account.address, blockTag: "pending" });

  const sign = async (call: GasWriterCall, nonce: number, fee: Fees): Promise<{ raw: Hex; hash: Hex }> => {
    const raw = await account.signTransaction({
      chainId: chain.id,
      type: "eip1559",
      to: call.to,
      data: call.data,
      gas: call.gas,
      nonce,
      ...fee,
    });
    return { raw, hash: keccak256(raw) };
  };

  const broadcast = (raw: Hex) => client.request({ method: "eth_sendRawTransaction", params: [raw] });

  /** Signs, records and broadcasts at `nonce`; "uncertain" when the node did not answer. */
  const signRecordBroadcast = async (
    call: GasWriterCall,
    nonce: number,
    fee: Fees,
    beforeBroadcast: (hash: Hex) => Promise<void>,
  ): Promise<{ hash: Hex; outcome: "sent" | "uncertain" }> => {
    const { raw, hash } = await sign(call, nonce, fee);
    await beforeBroadcast(hash);
    try {
      await broadcast(raw);
      return { hash, outcome: "sent" };
    } catch (error) {
      if (isRefusal(error)) throw error;
      onError(error, "broadcast unanswered; the transaction is treated as sent");
      return { hash, outcome: "uncertain" };
    }
  };

  function track(
    sent: { nonce: number; hashes: Hex[]; fee: Fees; call: GasWriterCall },
    record: (hash: Hex) => Promise<void>,
  ) {
    inFlight += 1;
    let mined: TransactionReceipt | null = null;
    let replacements = 0;
    const done = new Promise<TransactionReceipt>((resolve) => {
      const watch = async (): Promise<void> => {
        const receipt = await watcher.waitForReceipt(() => sent.hashes, stuckAfterMs);
        if (receipt) {
          mined = receipt;
          inFlight -= 1;
          resolve(receipt);
          return;
        }
        if (replacements < maxReplacements) {
          replacements += 1;
          await replace().catch((error) => onError(error, "replacing a stuck transaction failed"));
        }
        await watch();
      };
      void watch();
    });
    const replace = () =>
      queue.run(async () => {
        const bump = (value: bigint) => (value * (100n + feeBumpPercent)) / 100n + 1n;
        const latest = await currentFees().catch(() => sent.fee);
        const fee: Fees = {
          maxPriorityFeePerGas: max(bump(sent.fee.maxPriorityFeePerGas), latest.maxPriorityFeePerGas),
          maxFeePerGas: max(bump(sent.fee.maxFeePerGas), latest.maxFeePerGas),
        };
        try {
          const { hash } = await signRecordBroadcast(sent.call, sent.nonce, fee, record);
          sent.hashes.push(hash);
          sent.fee = fee;
        } catch (error) {
          // "nonce too low": one of the versions was mined meanwhile; the watcher will see it.
          if (!isNonceError(error)) throw error;
        }
      });
    return {
      nonce: sent.nonce,
      hashes: sent.hashes,
      get hash() {
        return sent.hashes.at(-1) as Hex;
      },
      wait: (timeoutMs: number) => {
        if (mined) return Promise.resolve(mined);
        // The timer is cleared once the transaction is mined: a pending 30 s timer kept a stopped server alive.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), timeoutMs);
          timer.unref?.();
        });
        return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
      },
    } satisfies SentTransaction;
  }

  return {
    address: account.address,
    get inFlight() {
      return inFlight;
    },
    send(call, beforeBroadcast) {
      return queue.run(async () => {
        nextNonce ??= await readNonce();
        const fee = await currentFees();
        let nonce = nextNonce;
        let result: { hash: Hex; outcome: "sent" | "uncertain" };
        try {
          result = await signRecordBroadcast(call, nonce, fee, beforeBroadcast);
        } catch (error) {
          if (!isNonceError(error)) {
            throw isRefusal(error) ? new BroadcastRefusedError(messageOf(error), { cause: error }) : error;
          }
          // Someone else used our nonce (or the node restarted): read it again and retry once.
          nonce = await readNonce();
          try {
            result = await signRecordBroadcast(call, nonce, fee, beforeBroadcast);
          } catch (retryError) {
            nextNonce = undefined;
            throw isRefusal(retryError)
              ? new BroadcastRefusedError(messageOf(retryError), { cause: retryError })
              : retryError;
          }
        }
        nextNonce = nonce + 1;
        watcher.poke();
        return track({ nonce, hashes: [result.hash], fee, call }, beforeBroadcast);
      });
    },
  };
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function messageOf(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage;
  return error instanceof Error ? error.message : String(error);
}
