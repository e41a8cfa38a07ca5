import type { Hex, TransactionReceipt } from "viem";
import { describe, expect, it, vi } from "vitest";
import { createBlockWatcher } from "./create-block-watcher.ts";

/** A chain stand-in: which hashes are mined, and every call the watcher makes. */
function fakeChain() {
  const mined = new Map<Hex, TransactionReceipt>();
  const calls: string[] = [];
  let head = 10n;
  const lookup =
    (via: string) =>
    async ({ hash }: { hash: Hex }) => {
      calls.push(`${via}:${hash}`);
      const receipt = mined.get(hash);
      if (!receipt) throw new Error("not found");
      return receipt;
    };
  return {
    calls,
    mine(hash: Hex) {
      head += 1n;
      mined.set(hash, { transactionHash: hash, blockNumber: head } as TransactionReceipt);
    },
    client: {
      getBlockNumber: async () => {
        calls.push("head");
        return head;
      },
      getTransactionReceipt: lookup("batch"),
    },
    solo: { getTransactionReceipt: lookup("solo") },
  };
}

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

describe("block watcher", () => {
  it("a transaction mined during its broadcast is found by one receipt lookup, without reading the head", async () => {
    const chain = fakeChain();
    const watcher = createBlockWatcher({ client: chain.client, soloClient: chain.solo, pollIntervalMs: 1_000 });
    chain.mine(hash(1));
    const receipt = await watcher.waitForReceipt(() => [hash(1)], 5_000);
    expect(receipt?.transactionHash).toBe(hash(1));
    expect(chain.calls).toEqual([`solo:${hash(1)}`]);
    watcher.stop();
  });

  it("waits started together share one lookup; one mined later is found at the next new head", async () => {
    const chain = fakeChain();
    const watcher = createBlockWatcher({ client: chain.client, soloClient: chain.solo, pollIntervalMs: 5 });
    chain.mine(hash(2));
    const first = watcher.waitForReceipt(() => [hash(2)], 5_000);
    const second = watcher.waitForReceipt(() => [hash(3)], 5_000);
    expect((await first)?.transactionHash).toBe(hash(2));
    expect(chain.calls.slice(0, 2).sort()).toEqual([`batch:${hash(2)}`, `batch:${hash(3)}`]);
    chain.mine(hash(3));
    expect((await second)?.transactionHash).toBe(hash(3));
    expect(chain.calls).toContain("head");
    watcher.stop();
  });

  it("a wait whose first lookup missed is looked up again after the recheck delays, before any head poll", async () => {
    const chain = fakeChain();
    const watcher = createBlockWatcher({
      client: chain.client,
      soloClient: chain.solo,
      pollIntervalMs: 60_000,
      recheckMs: [5, 10, 20],
    });
    const waiting = watcher.waitForReceipt(() => [hash(5)], 5_000);
    await vi.waitFor(() => expect(chain.calls).toHaveLength(1), { interval: 1 });
    chain.mine(hash(5));
    // The head poll is a minute away: only a recheck can have found it.
    expect((await waiting)?.transactionHash).toBe(hash(5));
    expect(chain.calls.length).toBeGreaterThanOrEqual(2);
    expect(chain.calls.every((call) => call === `solo:${hash(5)}`)).toBe(true);
    watcher.stop();
  });

  it("rechecks stop after the last delay: a wait still unmined is left to the head poll", async () => {
    const chain = fakeChain();
    const watcher = createBlockWatcher({
      client: chain.client,
      soloClient: chain.solo,
      pollIntervalMs: 60_000,
      recheckMs: [1, 2],
    });
    expect(await watcher.waitForReceipt(() => [hash(6)], 500)).toBeNull();
    expect(chain.calls).toEqual([`solo:${hash(6)}`, `solo:${hash(6)}`, `solo:${hash(6)}`]);
    watcher.stop();
  });

  it("answers null when nothing is mined within the timeout", async () => {
    const chain = fakeChain();
    const watcher = createBlockWatcher({ client: chain.client, soloClient: chain.solo, pollIntervalMs: 5 });
    expect(await watcher.waitForReceipt(() => [hash(4)], 50)).toBeNull();
    watcher.stop();
  });
});
