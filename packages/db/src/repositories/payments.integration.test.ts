import type { NewPayment } from "@tollgate/core/payments/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfferRows } from "../testing/create-offer-rows.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createPaymentRepository } from "./payments.ts";

let t: TestDatabase;
let repo: ReturnType<typeof createPaymentRepository>;
const offers = { a: "00000000-0000-4000-8000-00000000000a", b: "00000000-0000-4000-8000-00000000000b" };
let n = 0;

function payment(overrides: Partial<NewPayment> = {}): NewPayment {
  n += 1;
  return {
    offerId: offers.a,
    offerGeneration: 1,
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
    requestPath: "/services/a/",
    facilitator: "local",
    ...overrides,
  };
}

async function inserted(input: NewPayment): Promise<string> {
  const result = await repo.insertVerified(input);
  if (result.status !== "inserted") throw new Error("duplicate");
  return result.id;
}

const sorted = <T extends { chain: string; asset: string; testnet: boolean }>(rows: T[]) =>
  [...rows].sort((x, y) => `${x.chain}${x.asset}${x.testnet}`.localeCompare(`${y.chain}${y.asset}${y.testnet}`));

beforeAll(async () => {
  t = await createTestDatabase();
  repo = createPaymentRepository({ db: t.db });
  await createOfferRows(t.db, offers);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("payments repository", () => {
  it("refuses a second row for the same (network, payer, nonce), even when both arrive at once", async () => {
    const same = payment();
    const results = await Promise.all([repo.insertVerified(same), repo.insertVerified({ ...same })]);
    expect(results.map((r) => r.status).sort()).toEqual(["duplicate", "inserted"]);
    // The same nonce on another network is another authorization.
    expect((await repo.insertVerified({ ...same, network: "eip155:1", chain: "ethereum" })).status).toBe("inserted");
  });

  it("moves rows only along the state machine", async () => {
    const id = await inserted(payment());
    expect(await repo.transition(id, "delivered", { upstreamStatus: 200 })).toBe(true);
    expect(await repo.transition(id, "settled", { txHash: "0xtx", settledAt: new Date() })).toBe(true);
    expect(await repo.transition(id, "abandoned")).toBe(false);
    expect(await repo.transition(id, "settle_failed")).toBe(false);
    const row = await t.db.payment.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ state: "settled", txHash: "0xtx", upstreamStatus: 200 });
  });

  it("pages newest first with a stable cursor and filters by offer name", async () => {
    // A second apart: rows written within one millisecond share createdAt, and their order is then the id's.
    for (let i = 0; i < 7; i++) {
      const id = await inserted(payment({ offerId: offers.b, requestPath: `/services/b/${i}` }));
      await t.db.payment.update({ where: { id }, data: { createdAt: new Date(Date.UTC(2026, 10, 30, 12, 0, i)) } });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.list({ offerName: "b", limit: 3, cursor });
      seen.push(...page.payments.map((p) => p.requestPath));
      expect(page.payments.every((p) => p.offerName === "b")).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `/services/b/${i}`));
  });

  it("keeps the revenue rollup equal to the sums over settled rows, through updates and deletes", async () => {
    const settle = async (input: NewPayment) => {
      const id = await inserted(input);
      await repo.transition(id, "settled", { settledAt: new Date() });
      return id;
    };
    await settle(payment({ amount: "123456789012345678901234567890" }));
    await settle(payment({ chain: "local", network: "eip155:31337", testnet: true, asset: "0xUSDC" }));
    const failed = await inserted(payment({ amount: "999" }));
    await repo.transition(failed, "upstream_failed");
    // A row inserted already settled (a bundle import does this) counts too.
    await t.db.payment.create({ data: { ...payment({ amount: "5" }), state: "settled" } });
    expect(sorted(await repo.aggregateSettled())).toEqual(sorted(await repo.aggregateSettledFromRows()));

    // An import replaces the ledger with deleteMany: the rollup follows.
    await t.db.payment.deleteMany({ where: { chain: "local" } });
    expect(sorted(await repo.aggregateSettled())).toEqual(sorted(await repo.aggregateSettledFromRows()));
    expect((await repo.aggregateSettled()).find((l) => l.chain === "local")).toBeUndefined();
    const base = (await repo.aggregateSettled()).find((l) => l.chain === "base");
    expect(base?.amount).toBe((123456789012345678901234567890n + 10000n + 5n).toString());
  });

  it("lists the rows a crash left verified or delivered, oldest first", async () => {
    // Inserted newest first, so an unordered list would come back in the wrong order.
    const newer = await inserted(payment());
    const older = await inserted(payment());
    await t.db.payment.update({ where: { id: newer }, data: { createdAt: new Date("2026-11-30T10:00:00Z") } });
    await t.db.payment.update({ where: { id: older }, data: { createdAt: new Date("2026-11-29T10:00:00Z") } });
    const pending = await repo.listPending();
    const ids = pending.map((p) => p.id);
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(newer));
    expect(pending.length).toBeGreaterThan(0);
    const states = await t.db.payment.findMany({ where: { id: { in: pending.map((p) => p.id) } } });
    expect(states.every((row) => row.state === "verified" || row.state === "delivered")).toBe(true);
    const times = pending.map((p) => p.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe("offer activity", () => {
  it("sums every settled row of the offer in SQL, per chain and per UTC day; other states and offers do not count", async () => {
    const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
    const settle = async (input: Partial<NewPayment>, createdAt: Date) => {
      const id = await inserted(payment({ offerId: offers.b, ...input }));
      await repo.transition(id, "delivered");
      await repo.transition(id, "settled", { txHash: "0xt", settledAt: createdAt });
      await t.db.payment.update({ where: { id }, data: { createdAt } });
    };
    await settle({ amount: "1000" }, day("2026-11-20"));
    await settle({ amount: "2500" }, day("2026-11-20"));
    await settle(
      { amount: "7", chain: "local", network: "eip155:31337", testnet: true, asset: "0xdev" },
      day("2026-11-22"),
    );
    await settle({ amount: "999999" }, day("2026-10-01")); // before the window: in totals, not per day
    await inserted(payment({ offerId: offers.b, amount: "123456" })); // verified only: never counted

    const activity = await repo.offerActivity({ offerName: "b", since: day("2026-11-10") });
    expect(sorted(activity.totals)).toEqual(
      sorted([
        { chain: "base", testnet: false, asset: payment().asset, payments: 3, amount: "1003499" },
        { chain: "local", testnet: true, asset: "0xdev", payments: 1, amount: "7" },
      ]),
    );
    expect(activity.byDay).toEqual([
      { day: "2026-11-20", chain: "base", testnet: false, asset: payment().asset, payments: 2, amount: "3500" },
      { day: "2026-11-22", chain: "local", testnet: true, asset: "0xdev", payments: 1, amount: "7" },
    ]);
    expect(activity.lastSettledAt).toBe("2026-11-22T12:00:00.000Z");
    expect((await repo.offerActivity({ offerName: "nobody", since: day("2026-11-10") })).totals).toEqual([]);
  });

  it("filters the list by offer, state, chain, payer and time range, combined, across keyset pages", async () => {
    const gamma = "00000000-0000-4000-8000-0000000000c7";
    await createOfferRows(t.db, { gamma });
    const at = (iso: string) => new Date(iso);
    const rows: [Partial<NewPayment>, "settled" | "upstream_failed", string][] = [
      [{ payer: "0xaa" }, "settled", "2026-11-01T10:00:00Z"],
      [{ payer: "0xaa" }, "settled", "2026-11-02T10:00:00Z"],
      [{ payer: "0xaa" }, "upstream_failed", "2026-11-03T10:00:00Z"],
      [{ payer: "0xbb" }, "settled", "2026-11-04T10:00:00Z"],
      [{ payer: "0xaa", chain: "local", network: "eip155:31337", testnet: true }, "settled", "2026-11-05T10:00:00Z"],
      [{ payer: "0xaa" }, "settled", "2026-11-06T10:00:00Z"],
    ];
    for (const [input, state, createdAt] of rows) {
      const id = await inserted(payment({ offerId: gamma, ...input }));
      await repo.transition(
        id,
        state,
        state === "settled" ? { settledAt: at(createdAt) } : { reason: "upstream_error" },
      );
      await t.db.payment.update({ where: { id }, data: { createdAt: at(createdAt) } });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.list({
        offerName: "gamma",
        state: "settled",
        chain: "base",
        payer: "0xaa",
        from: at("2026-11-01T10:00:00Z"),
        to: at("2026-11-06T10:00:00Z"),
        limit: 1,
        cursor,
      });
      seen.push(...page.payments.map((p) => p.createdAt.toISOString().slice(0, 10)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Only base, settled, 0xaa, from the 1st (inclusive) to the 6th (exclusive), newest first.
    expect(seen).toEqual(["2026-11-02", "2026-11-01"]);
  });
});
