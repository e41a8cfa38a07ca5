import type { Hex, PublicClient, TransactionReceipt } from "viem";

/** A wait for whichever of a transaction's hashes (the original and its replacements) is mined first. */
export interface ReceiptWaiter {
  /** Read at every new block: a replacement adds its hash while the wait goes on. */
  hashes(): readonly Hex[];
  resolve(receipt: TransactionReceipt): void;
}

/** One per chain: polls the head only while someone waits, and checks every waiting hash once per new block. */
export interface BlockWatcher {
  /** Waits until one of the hashes is mined; `null` when `timeoutMs` passes first (the wait can be renewed). */
  waitForReceipt(hashes: () => readonly Hex[], timeoutMs: number): Promise<TransactionReceipt | null>;
  /** Looks at the head now (call right after a broadcast: an automining devnet has the block already). */
  poke(): void;
  /** Waits still open. */
  readonly waiting: number;
  stop(): void;
}

/**
 * The block watcher of one chain. Instead of each settlement polling for its own receipt, one loop asks for
 * the block number every `pollIntervalMs` while any waiter exists, and on a new block asks for the receipts of
 * all waiting hashes at once (one JSON-RPC batch when the transport batches). A new wait (or a `poke`) asks for
 * the receipts of the waits not seen yet right away, without reading the head first: an automining devnet has
 * mined the transaction by the time its broadcast returned, so the buyer waits one round trip, not a poll.
 * When that first lookup misses (the devnet mines a moment after answering the broadcast), `recheckMs` gives the
 * delays of a few more lookups of that wait alone before it is left to the head poll. Idle: no timer, no requests.
 */
export function createBlockWatcher({
  client,
  soloClient = client,
  pollIntervalMs,
  recheckMs = [],
  onError = () => {},
}: {
  client: Pick<PublicClient, "getBlockNumber" | "getTransactionReceipt">;
  /** For a lookup of one hash (a lone settlement): an unbatched client, so no batch timer delays it. */
  soloClient?: Pick<PublicClient, "getTransactionReceipt">;
  pollIntervalMs: number;
  /** Delays (ms) of the extra lookups of a new wait whose first lookup found nothing, at most one per entry. */
  recheckMs?: readonly number[];
  onError?: (error: unknown) => void;
}): BlockWatcher {
  const waiters = new Set<ReceiptWaiter>();
  /** Waits whose hashes were never looked up: checked at once, whatever the head. */
  let fresh = new Set<ReceiptWaiter>();
  /** Extra lookups a wait has had after its first one missed. */
  const rechecks = new WeakMap<ReceiptWaiter, number>();
  const recheckTimers = new Set<ReturnType<typeof setTimeout>>();
  let lastBlock = -1n;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const receiptOf = (hash: Hex, reader: Pick<PublicClient, "getTransactionReceipt">) =>
    reader.getTransactionReceipt({ hash }).catch(() => null);

  /** Looks up the receipts of `open`'s hashes and resolves the waits that have one. */
  async function resolveMined(open: ReceiptWaiter[]): Promise<void> {
    const hashes = [...new Set(open.flatMap((waiter) => waiter.hashes()))];
    const receipts = new Map<Hex, TransactionReceipt>();
    const reader = hashes.length === 1 ? soloClient : client;
    await Promise.all(
      hashes.map(async (hash) => {
        const receipt = await receiptOf(hash, reader);
        if (receipt) receipts.set(hash, receipt);
      }),
    );
    for (const waiter of open) {
      for (const hash of waiter.hashes()) {
        const receipt = receipts.get(hash);
        if (receipt) {
          waiters.delete(waiter);
          waiter.resolve(receipt);
          break;
        }
      }
    }
  }

  async function check(): Promise<void> {
    if (fresh.size > 0) {
      const open = [...fresh].filter((waiter) => waiters.has(waiter));
      fresh = new Set();
      await resolveMined(open);
      recheckSoon(open.filter((waiter) => waiters.has(waiter)));
      return;
    }
    const head = await client.getBlockNumber({ cacheTime: 0 });
    if (head === lastBlock) return;
    lastBlock = head;
    await resolveMined([...waiters]);
  }

  function schedule(delay: number): void {
    if (stopped || timer || waiters.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      run();
    }, delay);
  }

  function run(): void {
    if (running) {
      again = true;
      return;
    }
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    running = check()
      .catch(onError)
      .finally(() => {
        running = undefined;
        if (again || fresh.size > 0) {
          again = false;
          run();
        } else schedule(pollIntervalMs);
      });
  }

  /** Looks the missed waits up again after their next `recheckMs` delay (those that have one left). */
  function recheckSoon(missed: ReceiptWaiter[]): void {
    const byDelay = new Map<number, ReceiptWaiter[]>();
    for (const waiter of missed) {
      const done = rechecks.get(waiter) ?? 0;
      const delay = recheckMs[done];
      if (delay === undefined) continue;
      rechecks.set(waiter, done + 1);
      byDelay.set(delay, [...(byDelay.get(delay) ?? []), waiter]);
    }
    for (const [delay, group] of byDelay) {
      const recheck = setTimeout(() => {
        recheckTimers.delete(recheck);
        for (const waiter of group) if (waiters.has(waiter)) fresh.add(waiter);
        soon();
      }, delay);
      recheckTimers.add(recheck);
    }
  }

  /** Runs a check once the current tick's waits are registered (they share one lookup). */
  function soon(): void {
    if (stopped || immediate) return;
    immediate = setImmediate(() => {
      immediate = undefined;
      run();
    });
  }

  return {
    waitForReceipt(hashes, timeoutMs) {
      return new Promise((resolve) => {
        const waiter: ReceiptWaiter = {
          hashes,
          resolve: (receipt) => {
            clearTimeout(deadline);
            fresh.delete(waiter);
            resolve(receipt);
          },
        };
        const deadline = setTimeout(() => {
          waiters.delete(waiter);
          fresh.delete(waiter);
          resolve(null);
        }, timeoutMs);
        waiters.add(waiter);
        // It may be mined already (an automining devnet mines during the broadcast): look it up now.
        fresh.add(waiter);
        soon();
      });
    },
    poke() {
      if (stopped || waiters.size === 0) return;
      for (const waiter of waiters) fresh.add(waiter);
      soon();
    },
    get waiting() {
      return waiters.size;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      for (const recheck of recheckTimers) clearTimeout(recheck);
      recheckTimers.clear();
      timer = undefined;
      immediate = undefined;
    },
  };
}
