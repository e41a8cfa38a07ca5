import { createAnalyticsService, resolveAnalyticsRange } from "@tollgate/core/analytics/index";
import type { NewPayment } from "@tollgate/core/payments/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfferRows } from "../testing/create-offer-rows.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createAnalyticsRepository } from "./analytics.ts";
import { createPaymentRepository } from "./payments.ts";

let t: TestDatabase;
let payments: ReturnType<typeof createPaymentRepository>;
let analytics: ReturnType<typeof createAnalyticsRepository>;
const offers = {
  alpha: "00000000-0000-4000-8000-0000000000a1",
  beta: "00000000-0000-4000-8000-0000000000b2",
  gamma: "00000000-0000-4000-8000-0000000000c3",
};
const chains = [
  { chain: "base", network: "eip155:8453", testnet: false, asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" },
  {
    chain: "base-sepolia",
    network: "eip155:84532",
    testnet: true,
    asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
  },
  { chain: "local", network: "eip155:31337", testnet: true, asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
] as const;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let nonce = 0;
function payment(overrides: Partial<NewPayment>): NewPayment {
  nonce += 1;
  return {
    offerId: offers.alpha,
    offerGeneration: 1,
    ...chains[0],
    amount: "10000",
    payer: "0xbuyer",
    payTo: "0xseller",
    nonce: `0x${nonce.toString(16).padStart(64, "0")}`,
    x402Version: 2,
    requestMethod: "GET",
    requestPath: "/services/alpha/",
    facilitator: "local",
    ...overrides,
  };
}

type Totals = Map<string, { payments: number; amount: bigint }>;
const key = (line: { chain: string; asset: string; testnet: boolean }) => `${line.chain}|${line.asset}|${line.testnet}`;
function add(
  totals: Totals,
  line: { chain: string; asset: string; testnet: boolean },
  payments: number,
  amount: string,
) {
  const sum = totals.get(key(line)) ?? { payments: 0, amount: 0n };
  sum.payments += payments;
  sum.amount += BigInt(amount);
  totals.set(key(line), sum);
}
const plain = (totals: Totals) =>
  Object.fromEntries([...totals.entries()].sort().map(([k, v]) => [k, `${v.payments}:${v.amount}`]));

async function settledFromRows(from: Date): Promise<Totals> {
  const rows = await t.db.$queryRaw<{ chain: string; asset: string; testnet: boolean; n: bigint; amount: string }[]>`
    SELECT "chain", "asset", "testnet", COUNT(*)::int8 AS "n", SUM("amount")::text AS "amount"
      FROM "Payment" WHERE "state" = 'settled'::"PaymentState" AND "createdAt" >= ${from}
     GROUP BY 1, 2, 3`;
  const totals: Totals = new Map();
  for (const row of rows) add(totals, row, Number(row.n), row.amount);
  return totals;
}

async function rollupTables() {
  return {
    // `lastSettledAt` only grows (a MAX): it is read where the hour still has settlements.
    hourly: await t.db.$queryRaw`
      SELECT *, CASE WHEN "settled" > 0 THEN "lastSettledAt" END AS "lastSettledAt"
        FROM "AnalyticsHourly" ORDER BY 1, 2, 3, 4`,
    failures: await t.db.$queryRaw`SELECT * FROM "AnalyticsFailureHourly" WHERE "count" <> 0 ORDER BY 1, 2, 3, 4, 5`,
    daily: await t.db.$queryRaw`
      SELECT *, CASE WHEN "settled" > 0 THEN "lastSettledAt" END AS "lastSettledAt"
        FROM "AnalyticsDaily" WHERE "verified" <> 0 OR "challenges" <> 0 ORDER BY 1, 2, 3, 4`,
    dailyFailures: await t.db
      .$queryRaw`SELECT * FROM "AnalyticsFailureDaily" WHERE "count" <> 0 ORDER BY 1, 2, 3, 4, 5`,
    payers: await t.db.$queryRaw`SELECT * FROM "AnalyticsPayerDaily" WHERE "payments" <> 0 ORDER BY 1, 2, 3, 4`,
  };
}

const now = new Date();

beforeAll(async () => {
  t = await createTestDatabase();
  payments = createPaymentRepository({ db: t.db });
  analytics = createAnalyticsRepository({ db: t.db });
  await createOfferRows(t.db, offers);
  // Random payments over the last 40 days, through the repository the gateway uses: every state, every
  // chain, amounts up to 10^12 atomic units, then moved back in time (the trigger follows the update).
  const next = random(20261130);
  const offerIds = Object.values(offers);
  for (let i = 0; i < 240; i++) {
    const chain = chains[Math.floor(next() * chains.length)] ?? chains[0];
    const result = await payments.insertVerified(
      payment({
        offerId: offerIds[Math.floor(next() * offerIds.length)] ?? offers.alpha,
        ...chain,
        amount: String(1 + Math.floor(next() * 1e12)),
        payer: `0xpayer${Math.floor(next() * 12)}`,
      }),
    );
    if (result.status !== "inserted") throw new Error("duplicate nonce");
    const roll = next();
    const latencyMs = Math.floor(next() * 3_000);
    // Spread over 40 days while the row is still only verified: payments never change bucket in real life,
    // and a settled row moved afterwards would leave its settlement time in the old bucket's lastSettledAt.
    const back = Math.floor(next() * 40 * 86_400_000);
    const [moved] = await t.db.$queryRaw<{ createdAt: Date }[]>`
      UPDATE "Payment" SET "createdAt" = "createdAt" - ${back} * interval '1 millisecond'
       WHERE "id" = ${result.id} RETURNING "createdAt"`;
    const settledAt = new Date((moved?.createdAt ?? new Date()).getTime() + 5);
    if (roll < 0.6) {
      await payments.transition(result.id, "delivered", { upstreamStatus: 200 });
      await payments.transition(result.id, "settled", { settledAt, latencyMs, txHash: "0xtx" });
    } else if (roll < 0.75) {
      await payments.transition(result.id, "upstream_failed", {
        reason: "upstream_error",
        upstreamStatus: 502,
        latencyMs,
      });
    } else if (roll < 0.85) {
      await payments.transition(result.id, "settle_failed", { reason: "settlement_failed", latencyMs });
    } else if (roll < 0.9) {
      await payments.transition(result.id, "abandoned");
    }
  }
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe("analytics rollups", () => {
  it("reconcile: overview total = sum of the series = sum of per-offer rows = sum of settled payments, test chains apart", async () => {
    const service = createAnalyticsService({ repository: analytics, clock: () => now });
    for (const since of ["24h", "7d", "30d", "400d"]) {
      const overview = await service.overview({ since });
      const expected = await settledFromRows(overview.range.from);

      const fromTotals: Totals = new Map();
      for (const line of [...overview.revenue.totals.lines, ...overview.revenue.totals.testLines]) {
        add(fromTotals, line, line.payments, line.amount);
      }
      const fromSeries: Totals = new Map();
      for (const point of overview.revenue.points) add(fromSeries, point, point.payments, point.amount);
      const fromOffers: Totals = new Map();
      for (const offer of overview.offers.offers) {
        for (const line of offer.revenue) add(fromOffers, line, line.payments, line.amount);
      }
      expect(plain(fromTotals), since).toEqual(plain(expected));
      expect(plain(fromSeries), since).toEqual(plain(expected));
      expect(plain(fromOffers), since).toEqual(plain(expected));
      expect(overview.funnel.settled).toBe([...expected.values()].reduce((s, v) => s + v.payments, 0));
      // Test chains never reach the real totals.
      expect(overview.revenue.totals.lines.every((line) => !line.testnet)).toBe(true);
      expect(overview.revenue.totals.testLines.every((line) => line.testnet)).toBe(true);
    }
    const all = await service.overview({ since: "400d" });
    expect(all.revenue.totals.lines.length).toBeGreaterThan(0);
    expect(all.revenue.totals.testLines.length).toBeGreaterThan(0);
    const [rows] = await t.db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*)::int8 AS "n" FROM "Payment"`;
    expect(all.funnel.verified).toBe(Number(rows?.n));
  });

  it("one offer's numbers are that offer's rows only", async () => {
    const service = createAnalyticsService({ repository: analytics, clock: () => now });
    const beta = await service.overview({ since: "30d", offer: "beta" });
    const [row] = await t.db.$queryRaw<{ n: bigint; amount: string | null }[]>`
      SELECT COUNT(*)::int8 AS "n", SUM("amount")::text AS "amount" FROM "Payment"
       WHERE "offerId" = ${offers.beta} AND "state" = 'settled'::"PaymentState" AND "createdAt" >= ${beta.range.from}`;
    expect(beta.offers.offers.map((o) => o.offer)).toEqual(Number(row?.n) > 0 ? ["beta"] : []);
    expect(beta.funnel.settled).toBe(Number(row?.n));
    const sum = beta.revenue.points.reduce((s, p) => s + BigInt(p.amount), 0n);
    expect(sum.toString()).toBe(row?.amount ?? "0");
  });

  it("the trigger-kept rollups equal a rebuild from the payment rows", async () => {
    const kept = await rollupTables();
    await analytics.rebuild();
    expect(await rollupTables()).toEqual(kept);
  });

  it("a rebuild puts delivery and settlement times on a bucket bound where the trigger does", async () => {
    const bounds = [100, 250, 500, 1000, 2500, 5000, 10000];
    const times = [0, ...bounds.flatMap((b) => [b, b + 1])];
    for (const ms of times) {
      const result = await payments.insertVerified(payment({ offerId: offers.gamma, payer: "0xbounds" }));
      if (result.status !== "inserted") throw new Error("duplicate nonce");
      await payments.transition(result.id, "settled", { settledAt: new Date(), latencyMs: ms, txHash: "0xtx" });
      // A day of their own, long before the random payments.
      await t.db.$executeRaw`UPDATE "Payment" SET "createdAt" = TIMESTAMP '2020-01-01 12:00:00',
                                     "settledAt" = TIMESTAMP '2020-01-01 12:00:00' + ${ms} * interval '1 millisecond'
                              WHERE "id" = ${result.id}`;
    }
    const kept = await rollupTables();
    const [row] = await t.db.$queryRaw<{ le100: number; le250: number; inf: number }[]>`
      SELECT SUM("deliveryLe100")::int AS "le100", SUM("settlementLe250")::int AS "le250", SUM("settlementInf")::int AS "inf"
        FROM "AnalyticsDaily" WHERE "day" = TIMESTAMP '2020-01-01'`;
    expect(row).toEqual({ le100: 2, le250: 2, inf: 1 });
    await analytics.rebuild();
    expect(await rollupTables()).toEqual(kept);
  });

  it("top payers are the largest settled sums, from the daily rollup and from the ledger alike", async () => {
    const service = createAnalyticsService({ repository: analytics, clock: () => now });
    const top = await service.topPayers({ since: "30d", limit: 3 });
    const range = resolveAnalyticsRange({ since: "30d", now });
    const expected = await t.db.$queryRaw<{ payer: string; chain: string; amount: string }[]>`
      SELECT "payer", "chain", SUM("amount")::text AS "amount" FROM "Payment"
       WHERE "state" = 'settled'::"PaymentState" AND "createdAt" >= ${range.from}
       GROUP BY 1, 2, "asset" ORDER BY SUM("amount") DESC, "payer" LIMIT 3`;
    expect(top.payers.map((p) => [p.payer, p.chain, p.amount])).toEqual(
      expected.map((e) => [e.payer, e.chain, e.amount]),
    );
  });

  it("the 7- and 30-day payer windows follow new settlements and move forward day by day", async () => {
    const truth = async (since: string, at: Date) => {
      const range = resolveAnalyticsRange({ since, now: at });
      return t.db.$queryRaw<{ payer: string; chain: string; amount: string }[]>`
        SELECT "payer", "chain", SUM("amount")::text AS "amount" FROM "Payment"
         WHERE "state" = 'settled'::"PaymentState" AND "createdAt" >= ${range.from}
         GROUP BY 1, 2, "asset" ORDER BY SUM("amount") DESC, "payer" LIMIT 5`;
    };
    const top = async (since: string, at: Date) =>
      (
        await createAnalyticsService({ repository: analytics, clock: () => at }).topPayers({ since, limit: 5 })
      ).payers.map((p) => ({ payer: p.payer, chain: p.chain, amount: p.amount }));
    for (const since of ["7d", "30d"]) {
      const earlier = new Date(now.getTime() - 3 * 86_400_000);
      expect(await top(since, earlier), `${since} built 3 days ago`).toEqual(await truth(since, earlier));
      expect(await top(since, now), `${since} moved to today`).toEqual(await truth(since, now));
    }
    // A big settlement now lands in both windows through the trigger.
    const whale = await payments.insertVerified(payment({ amount: "999999999999999", payer: "0xwhale" }));
    if (whale.status !== "inserted") throw new Error("duplicate nonce");
    await payments.transition(whale.id, "settled", { settledAt: new Date(), latencyMs: 10 });
    for (const since of ["7d", "30d"]) {
      const result = await top(since, now);
      expect(result[0]?.payer).toBe("0xwhale");
      expect(result).toEqual(await truth(since, now));
    }
  });

  it("flushed gateway counters count challenges and refusals by reason beside the rows", async () => {
    const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    const base = { offerId: offers.gamma, chain: "base", asset: chains[0].asset, testnet: false, hour };
    await analytics.addFunnelCounts([
      { ...base, challenges: 5, refused: 2, reasons: { invalid_exact_evm_payload_signature: 2 } },
    ]);
    // Two hours in one batch (the daily row takes both).
    await analytics.addFunnelCounts([
      { ...base, challenges: 1, refused: 1, reasons: { payment_already_used: 1 } },
      { ...base, hour: new Date(hour.getTime() - 3_600_000), challenges: 2, refused: 0, reasons: {} },
    ]);
    const service = createAnalyticsService({ repository: analytics, clock: () => now });
    const before = await service.funnel({ since: "24h", offer: "gamma" });
    expect(before.challenges).toBe(8);
    const week = await service.funnel({ since: "7d", offer: "gamma" });
    expect([week.challenges, week.refused]).toEqual([8, 3]);
    expect(before.refused).toBe(3);
    expect(before.failures.filter((f) => f.stage === "refused")).toEqual([
      { stage: "refused", reason: "invalid_exact_evm_payload_signature", count: 2 },
      { stage: "refused", reason: "payment_already_used", count: 1 },
    ]);
    // A rebuild recomputes the payment part and keeps the counters.
    await analytics.rebuild();
    expect(await service.funnel({ since: "24h", offer: "gamma" })).toEqual(before);
  });

  it("the agents' spend: settled outbound payments per day and agent, per agent and per chain; nothing else counts", async () => {
    const service = createAnalyticsService({ repository: analytics, clock: () => now });
    expect(await service.spend({ since: "7d" })).toMatchObject({ days: [], agents: [], totals: [] });
    const [researcher, writer] = await Promise.all(
      ["researcher", "writer"].map((name) => t.db.agent.create({ data: { name, skills: [] } })),
    );
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const [base, , local] = chains;
    const outbound = (
      agentId: string,
      state: "settled" | "refused" | "failed",
      amount: number,
      at: Date,
      on: (typeof chains)[number] = local,
    ) => ({
      agentId,
      url: "http://127.0.0.1:1/services/x",
      network: on.network,
      asset: on.asset,
      payTo: "0xseller",
      amount,
      state,
      createdAt: at,
    });
    await t.db.agentPayment.createMany({
      data: [
        outbound(researcher?.id ?? "", "settled", 10_000, now),
        outbound(researcher?.id ?? "", "settled", 20_000, daysAgo(2)),
        outbound(researcher?.id ?? "", "refused", 10_000, now),
        outbound(researcher?.id ?? "", "failed", 5_000, now),
        outbound(researcher?.id ?? "", "settled", 7_000, daysAgo(40)),
        outbound(writer?.id ?? "", "settled", 30_000, now, base),
      ],
    });
    const spend = await service.spend({ since: "7d" });
    expect(spend.totals.map((t) => [t.chain, t.testnet, t.symbol, t.payments, t.amount, t.display]).sort()).toEqual([
      ["base", false, "USDC", 1, "30000", "0.03"],
      ["local", true, "USDC", 2, "30000", "0.03"],
    ]);
    expect(spend.agents.map((a) => [a.agent, a.chain, a.payments, a.display]).sort()).toEqual([
      ["researcher", "local", 2, "0.03"],
      ["writer", "base", 1, "0.03"],
    ]);
    const utcDay = (d: Date) => d.toISOString().slice(0, 10);
    expect(spend.days.map((d) => [utcDay(d.day), d.agent, d.amount]).sort()).toEqual(
      [
        [utcDay(daysAgo(2)), "researcher", "20000"],
        [utcDay(now), "researcher", "10000"],
        [utcDay(now), "writer", "30000"],
      ].sort(),
    );
    // The overview carries the same report (seller-wide: an offer filter does not hide it).
    expect((await service.overview({ since: "7d", offer: "alpha" })).spend).toEqual(spend);
    // The 30-day range reaches the older payment.
    expect((await service.spend({ since: "30d" })).agents.find((a) => a.agent === "researcher")?.payments).toBe(2);
    expect((await service.spend({ since: "60d" })).agents.find((a) => a.agent === "researcher")?.payments).toBe(3);
  });

  it("moves between in-progress states leave the rollup rows untouched (no write, no lock); settling counts", async () => {
    const result = await payments.insertVerified(payment({ offerId: offers.gamma, ...chains[1] }));
    if (result.status !== "inserted") throw new Error("duplicate nonce");
    const [{ createdAt }] = (await t.db.payment.findMany({
      where: { id: result.id },
      select: { createdAt: true },
    })) as [{ createdAt: Date }];
    /** The row versions of the payment's hour and day (xmin changes with every update). */
    const versions = async () => {
      const hour = new Date(Math.floor(createdAt.getTime() / 3_600_000) * 3_600_000);
      const [hourly] = await t.db.$queryRaw<{ version: string; verified: number; settled: number }[]>`
        SELECT xmin::text AS "version", "verified", "settled" FROM "AnalyticsHourly"
         WHERE "offerId" = ${offers.gamma} AND "chain" = ${chains[1].chain} AND "hour" = ${hour}`;
      const [daily] = await t.db.$queryRaw<{ version: string }[]>`
        SELECT xmin::text AS "version" FROM "AnalyticsDaily"
         WHERE "offerId" = ${offers.gamma} AND "chain" = ${chains[1].chain} AND "day" = ${createdAt}::date`;
      return { hourly, daily: daily?.version };
    };
    const before = await versions();
    expect(before.hourly?.verified).toBeGreaterThan(0);
    expect(await payments.transition(result.id, "delivered", { upstreamStatus: 200, txHash: "0xinflight" })).toBe(true);
    expect(await payments.transition(result.id, "settlement_pending", { reason: "settlement_pending" })).toBe(true);
    expect(await versions()).toEqual(before);
    expect(await payments.transition(result.id, "settled", { settledAt: new Date(), latencyMs: 40 })).toBe(true);
    const after = await versions();
    expect(after.hourly?.version).not.toBe(before.hourly?.version);
    expect(after.hourly?.settled).toBe((before.hourly?.settled ?? 0) + 1);
    expect(after.hourly?.verified).toBe(before.hourly?.verified);
    // And the rollups still equal a rebuild from the rows.
    const kept = await rollupTables();
    await analytics.rebuild();
    expect(await rollupTables()).toEqual(kept);
  });

  it("deleting rows (an import replacing the ledger) takes them out of every rollup", async () => {
    await t.db.payment.deleteMany({ where: { chain: "local" } });
    const service = createAnalyticsService({ repository: analytics, clock: () => now });
    const overview = await service.overview({ since: "400d" });
    expect(overview.revenue.points.some((p) => p.chain === "local")).toBe(false);
    expect(plain(await settledFromRows(overview.range.from))).toEqual(
      plain(
        overview.revenue.points.reduce((totals, p) => {
          add(totals, p, p.payments, p.amount);
          return totals;
        }, new Map() as Totals),
      ),
    );
  });
});
