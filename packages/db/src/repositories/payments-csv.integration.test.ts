import { renderPaymentCsvLine } from "@tollgate/core/payments/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfferRows } from "../testing/create-offer-rows.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createPaymentRepository } from "./payments.ts";

let t: TestDatabase;
let repo: ReturnType<typeof createPaymentRepository>;
const offers = { a: "00000000-0000-4000-8000-00000000000a", b: "00000000-0000-4000-8000-00000000000b" };
const seeded = 4_500;

async function exported(filters: Parameters<typeof repo.csvChunks>[0] = {}): Promise<string[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of repo.csvChunks(filters)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8").split("\r\n").slice(0, -1);
}

beforeAll(async () => {
  t = await createTestDatabase();
  repo = createPaymentRepository({ db: t.db });
  await createOfferRows(t.db, offers);
  // Straight into the ledger, like the analytics benchmark: every 3rd row settled, two offers, one per minute.
  await t.db.$executeRawUnsafe(`
    INSERT INTO "Payment" ("id","offerId","offerGeneration","chain","network","testnet","asset","amount","payer","payTo",
                           "nonce","x402Version","requestMethod","requestPath","facilitator","state","createdAt","updatedAt","settledAt")
    SELECT md5(i::text)::uuid::text, CASE WHEN i % 2 = 0 THEN '${offers.a}' ELSE '${offers.b}' END, 1, 'base', 'eip155:8453',
           false, '0xUSDC', (i * 1000)::numeric, '0xpayer' || (i % 7), '0xseller', 'n' || i, 2, 'GET', '/services/x/' || i,
           'local', (CASE WHEN i % 3 = 0 THEN 'settled' ELSE 'upstream_failed' END)::"PaymentState",
           TIMESTAMP '2026-01-01 00:00:00.123' + i * INTERVAL '1 minute', now(),
           CASE WHEN i % 3 = 0 THEN TIMESTAMP '2026-01-01 00:00:05.007' + i * INTERVAL '1 minute' END
      FROM generate_series(1, ${seeded}) AS i`);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("payments CSV export", () => {
  it("streams every seeded row, newest first, in several chunks, formatted like the JS renderer", async () => {
    const lines = await exported();
    expect(lines).toHaveLength(seeded);
    expect(new Set(lines).size).toBe(seeded);
    expect(lines[0]).toMatch(/^[0-9a-f-]{36},/);
    expect(lines[0]?.slice(36)).toBe(
      ",2026-01-04T03:00:00.123Z,2026-01-04T03:00:05.007Z,a,base,eip155:8453,false,0xUSDC,4500000,0xpayer6,0xseller,settled,,GET,/services/x/4500,,,",
    );
    const newest = await repo.list({ limit: 3 });
    expect(lines.slice(0, 3)).toEqual(newest.payments.map((p) => renderPaymentCsvLine(p).slice(0, -2)));
  });

  it("applies the filters and escapes hostile values exactly as the JS renderer does", async () => {
    const hostile = await repo.insertVerified({
      offerId: offers.b,
      offerGeneration: 1,
      chain: "local",
      network: "eip155:31337",
      testnet: true,
      asset: "0xUSDC",
      amount: "1",
      payer: '=HYPERLINK("http://evil","x")',
      payTo: "+seller,\r\nnext",
      nonce: "hostile",
      x402Version: 2,
      requestMethod: "@GET",
      requestPath: '-/a"b',
      facilitator: "local",
    });
    if (hostile.status !== "inserted") throw new Error("duplicate");
    const lines = await exported({ chain: "local" });
    const listed = await repo.list({ chain: "local", limit: 10 });
    expect(lines.join("\r\n")).toBe(listed.payments.map((p) => renderPaymentCsvLine(p).slice(0, -2)).join("\r\n"));
    expect(lines.join("\r\n")).toContain(
      `,"'=HYPERLINK(""http://evil"",""x"")","'+seller,\r\nnext",verified,,'@GET,"'-/a""b",`,
    );

    const settledOfA = await exported({ offerName: "a", state: "settled", chain: "base" });
    expect(settledOfA).toHaveLength(Math.floor(seeded / 6));
    expect(settledOfA.every((line) => line.includes(",a,base,") && line.includes(",settled,"))).toBe(true);
    const window = await exported({
      payer: "0xpayer1",
      from: new Date("2026-01-01T10:00:00Z"),
      to: new Date("2026-01-02T10:00:00Z"),
    });
    // Minutes 600..2039 (createdAt = i minutes after 00:00:00.123; `to` exclusive), payer i % 7 = 1.
    const expected = Array.from({ length: 1440 }, (_, k) => 600 + k).filter((i) => i % 7 === 1).length;
    expect(window).toHaveLength(expected);
    expect(await exported({ offerName: "no-such-offer" })).toEqual([]);
    // Filter values are literals in the COPY statement: a quote in one stays data.
    expect(await exported({ payer: "0xpayer1' OR '1'='1" })).toEqual([]);
  });

  it("stops when the reader leaves early, and the pool keeps serving", async () => {
    for await (const chunk of repo.csvChunks({})) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    expect(await exported({ offerName: "a", state: "settled" })).toHaveLength(Math.floor(seeded / 6));
    expect((await repo.list({ limit: 1 })).payments).toHaveLength(1);
  });
});
