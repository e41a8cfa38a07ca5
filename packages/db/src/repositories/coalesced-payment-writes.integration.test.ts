import type { NewPayment } from "@tollgate/core/payments/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfferRows } from "../testing/create-offer-rows.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createPaymentRepository } from "./payments.ts";

let t: TestDatabase;
let repo: ReturnType<typeof createPaymentRepository>;
const offerId = "00000000-0000-4000-8000-0000000000c1";
let n = 0;

function payment(overrides: Partial<NewPayment> = {}): NewPayment {
  n += 1;
  return {
    offerId,
    offerGeneration: 3,
    chain: "base",
    network: "eip155:8453",
    testnet: false,
    asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    amount: "10000",
    payer: "0xbuyer",
    payTo: "0xseller",
    nonce: `0x${n.toString(16).padStart(64, "0")}`,
    x402Version: 2,
    requestMethod: "GET",
    requestPath: `/services/c/${n}`,
    facilitator: "local",
    ...overrides,
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  repo = createPaymentRepository({ db: t.db });
  await createOfferRows(t.db, { c: offerId });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("ledger writes of one tick share a statement", () => {
  it("rows inserted at once: each caller gets its own id, a replayed nonce is a duplicate, columns as given", async () => {
    const before = Date.now();
    const batch = Array.from({ length: 12 }, () => payment());
    const replayed = { ...(batch[4] as NewPayment) };
    const results = await Promise.all([...batch, replayed].map((p) => repo.insertVerified(p)));
    expect(results.filter((r) => r.status === "duplicate")).toHaveLength(1);
    expect(results.at(-1)?.status).toBe("duplicate");
    const ids = results.flatMap((r) => (r.status === "inserted" ? [r.id] : []));
    expect(new Set(ids).size).toBe(12);
    const rows = await t.db.payment.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [index, input] of batch.entries()) {
      const row = byId.get(ids[index] as string);
      expect(row).toMatchObject({
        state: "verified",
        nonce: input.nonce,
        requestPath: input.requestPath,
        offerGeneration: 3,
        scheme: "exact",
        maxAmount: null,
      });
      expect(row?.amount.toFixed(0)).toBe("10000");
      // Timestamps are UTC like Prisma's own: within the test's own clock window.
      expect(row?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(row?.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    }
  });

  it("rows inserted without waiting for the disk, in the same tick as durable ones: each its own, a replay refused", async () => {
    const durable = Array.from({ length: 3 }, () => payment());
    const quick = Array.from({ length: 3 }, () => payment());
    const results = await Promise.all([
      ...durable.map((p) => repo.insertVerified(p)),
      ...quick.map((p) => repo.insertVerified(p, { durable: false })),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill("inserted"));
    // The same authorization again, through the other kind of write: the unique key still refuses it.
    expect((await repo.insertVerified({ ...(quick[0] as NewPayment) })).status).toBe("duplicate");
    expect((await repo.insertVerified({ ...(durable[0] as NewPayment) }, { durable: false })).status).toBe("duplicate");
    const ids = results.flatMap((r) => (r.status === "inserted" ? [r.id] : []));
    const rows = await t.db.payment.findMany({ where: { id: { in: ids } }, select: { nonce: true, state: true } });
    expect(rows.map((row) => row.nonce).sort()).toEqual([...durable, ...quick].map((p) => p.nonce).sort());
    expect(rows.every((row) => row.state === "verified")).toBe(true);
  });

  it("transitions at once: every row moves with its own values, a row asked twice moves once, revenue follows", async () => {
    const ids = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const result = await repo.insertVerified(payment());
        if (result.status !== "inserted") throw new Error("duplicate");
        return result.id;
      }),
    );
    const delivered = await Promise.all([
      ...ids.map((id, index) => repo.transition(id, "delivered", { upstreamStatus: 200 + index, txHash: "0xbatch" })),
      repo.transition(ids[0] as string, "delivered", { upstreamStatus: 299, txHash: "0xbatch" }),
    ]);
    expect(delivered).toEqual([true, true, true, true, true, true, false]);

    const settledAt = new Date("2026-11-30T12:34:56.789Z");
    const revenueBefore = await repo.aggregateSettled();
    const settled = await Promise.all(
      ids.map((id, index) =>
        repo.transition(id, "settled", { txHash: "0xbatch", settledAt, latencyMs: 10 * index, upstreamStatus: 200 }),
      ),
    );
    expect(settled.every(Boolean)).toBe(true);
    // Already final: nothing moves again.
    expect(await repo.transition(ids[1] as string, "settle_failed", { reason: "late" })).toBe(false);

    const rows = await t.db.payment.findMany({ where: { id: { in: ids } } });
    for (const [index, id] of ids.entries()) {
      const row = rows.find((candidate) => candidate.id === id);
      expect(row).toMatchObject({ state: "settled", txHash: "0xbatch", latencyMs: 10 * index, upstreamStatus: 200 });
      expect(row?.settledAt?.toISOString()).toBe(settledAt.toISOString());
    }
    const count = (rows: Awaited<ReturnType<typeof repo.aggregateSettled>>) =>
      rows.find((row) => row.network === "eip155:8453")?.payments ?? 0;
    expect(count(await repo.aggregateSettled())).toBe(count(revenueBefore) + 6);
  });

  it("a transition that need not wait for the disk moves its rows and is read back at once, revenue included", async () => {
    const ids = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const result = await repo.insertVerified(payment());
        if (result.status !== "inserted") throw new Error("duplicate");
        await repo.transition(result.id, "delivered", { txHash: "0xasync" });
        return result.id;
      }),
    );
    const revenueBefore = await repo.aggregateSettled();
    const settledAt = new Date("2026-11-30T13:00:00.000Z");
    const moved = await Promise.all([
      ...ids.map((id) => repo.transition(id, "settled", { txHash: "0xasync", settledAt }, { durable: false })),
      // The same row moved twice by non-durable transitions of one tick: once.
      repo.transition(ids[0] as string, "settled", { txHash: "0xasync", settledAt }, { durable: false }),
    ]);
    expect(moved).toEqual([true, true, true, true, false]);
    const rows = await t.db.payment.findMany({ where: { id: { in: ids } }, select: { state: true, txHash: true } });
    expect(rows).toEqual(ids.map(() => ({ state: "settled", txHash: "0xasync" })));
    const count = (rows: Awaited<ReturnType<typeof repo.aggregateSettled>>) =>
      rows.find((row) => row.network === "eip155:8453")?.payments ?? 0;
    expect(count(await repo.aggregateSettled())).toBe(count(revenueBefore) + 4);
    // The setting lasted only for that statement's transaction.
    const [setting] = await t.db.$queryRaw<{ value: string }[]>`SELECT current_setting('synchronous_commit') AS value`;
    expect(setting?.value).toBe("on");
  });
});
