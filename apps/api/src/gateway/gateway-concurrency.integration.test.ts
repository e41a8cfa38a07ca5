import { decodePaymentResponseHeader } from "@x402/core/http";
import { createPublicClient, type Hex, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devnetChain } from "../chain/devnet-chain.ts";
import { type GatewayFixture, startGatewayFixture } from "./testing/start-gateway-fixture.ts";

const PRICE = 10_000n;
let f: GatewayFixture;

beforeAll(async () => {
  f = await startGatewayFixture();
}, 120_000);

afterAll(async () => {
  await f?.close();
});

/** Runs `count` tasks with at most `concurrency` in flight. */
async function runPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe("settlement under concurrency", () => {
  it.each([
    [8, 200],
    [32, 400],
  ])(
    "c=%i: all %i paid requests are served, settled rows whose batched transactions are on chain, the buyer paid exactly the sum",
    async (concurrency, requests) => {
      const chain = createPublicClient({ chain: devnetChain(f.devnet.rpcUrl), transport: http(f.devnet.rpcUrl) });
      const seller = f.devnet.accounts.seller.address;
      const buyer = f.devnet.accounts.buyer.address;
      const [sellerBefore, buyerBefore] = [await f.usdcBalance(seller), await f.usdcBalance(buyer)];
      const path = `/services/hello/load-${concurrency}`;
      const results = await runPool(requests, concurrency, async () => {
        const res = await f.payFetch(`${f.origin}${path}`);
        await res.arrayBuffer();
        return { status: res.status, tx: decodePaymentResponseHeader(res.headers.get("payment-response") ?? "e30=") };
      });
      expect(results.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
      expect(results.filter((r) => !r.tx.success)).toEqual([]);
      expect((await f.usdcBalance(buyer)) - buyerBefore).toBe(-PRICE * BigInt(requests));
      expect((await f.usdcBalance(seller)) - sellerBefore).toBe(PRICE * BigInt(requests));

      const rows = await f.database.db.payment.findMany({ where: { requestPath: path } });
      expect(rows.length).toBe(requests);
      expect(rows.filter((row) => row.state !== "settled")).toEqual([]);
      // Batched: fewer transactions than payments; every row's hash is a successful transaction on chain.
      const hashes = [...new Set(rows.map((row) => row.txHash as Hex))];
      expect(hashes.length).toBeLessThan(requests);
      for (const hash of hashes) expect((await chain.getTransactionReceipt({ hash })).status).toBe("success");
    },
    240_000,
  );
});
