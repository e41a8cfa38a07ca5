import { decodePaymentResponseHeader } from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture } from "./testing/start-gateway-fixture.ts";

const PRICE = 10_000n;
const REQUESTS = 200;
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
  it.each([8, 32])(
    "settles %i-way concurrent paid requests: 200 distinct authorizations, all 200, all on chain, 200 settled rows",
    async (concurrency) => {
      const seller = f.devnet.accounts.seller.address;
      const sellerBefore = await f.usdcBalance(seller);
      const path = `/services/hello/load-${concurrency}`;
      const results = await runPool(REQUESTS, concurrency, async () => {
        const res = await f.payFetch(`${f.origin}${path}`);
        await res.arrayBuffer();
        return { status: res.status, tx: decodePaymentResponseHeader(res.headers.get("payment-response") ?? "e30=") };
      });
      expect(results.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
      const hashes = new Set(results.map((r) => r.tx.transaction));
      expect(hashes.size).toBe(REQUESTS);
      expect((await f.usdcBalance(seller)) - sellerBefore).toBe(PRICE * BigInt(REQUESTS));
      const rows = await f.database.db.payment.groupBy({
        by: ["state"],
        where: { requestPath: path },
        _count: { _all: true },
      });
      expect(rows).toEqual([{ state: "settled", _count: { _all: REQUESTS } }]);
    },
    120_000,
  );
});
