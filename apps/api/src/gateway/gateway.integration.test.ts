import { encodeBase64Json } from "@tollgate/core/gateway/index";
import { createPaymentsService } from "@tollgate/core/payments/index";
import { createPaymentRepository } from "@tollgate/db";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequired } from "@x402/core/types";
import { type Hex, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServices } from "../services/app-services.ts";
import { appRouter } from "../trpc/router.ts";
import { createCallerFactory } from "../trpc/trpc.ts";
import { recoverPendingPayments } from "./recover-pending-payments.ts";
import { type GatewayFixture, localNetwork, silentLog, startGatewayFixture } from "./testing/start-gateway-fixture.ts";

const PRICE = 10_000n;
let f: GatewayFixture;

beforeAll(async () => {
  f = await startGatewayFixture();
}, 120_000);

afterAll(async () => {
  await f?.close();
});

const url = (path: string) => `${f.origin}${path}`;
const rowsFor = (path: string) => f.database.db.payment.findMany({ where: { requestPath: path } });
const upstreamCalls = (prefix: string) => f.upstream.log.calls.filter((c) => c.path.startsWith(prefix)).length;

/** The 402 challenge of a route, decoded from its header. */
async function challenge(path: string): Promise<PaymentRequired> {
  const res = await fetch(url(path));
  expect(res.status).toBe(402);
  return decodePaymentRequiredHeader(res.headers.get("payment-required") ?? "");
}

/** A fresh payment signed by the buyer with the official client, as a PAYMENT-SIGNATURE value. */
async function signPayment(path: string): Promise<{ payload: PaymentPayload; header: string }> {
  const payload = await f.buyerClient.createPaymentPayload(await challenge(path));
  return { payload, header: encodeBase64Json(payload) };
}

function nonceOf(payload: { payload: Record<string, unknown> }): string {
  return ((payload.payload.authorization as { nonce: string }).nonce ?? "").toLowerCase();
}

describe("x402 gateway on the devnet", () => {
  it("answers an unpaid request with a v2 402: header, same JSON body, catalog link", async () => {
    const res = await fetch(url("/services/hello/"));
    expect(res.status).toBe(402);
    expect(res.headers.get("link")).toBe('</api/services.json>; rel="catalog"');
    const header = decodePaymentRequiredHeader(res.headers.get("payment-required") ?? "");
    expect(header.x402Version).toBe(2);
    expect(header.resource.url).toBe(`${f.origin}/services/hello/`);
    expect(header.accepts[0]).toMatchObject({
      scheme: "exact",
      network: "eip155:31337",
      amount: "10000",
      asset: f.devnet.usdc,
      payTo: f.devnet.accounts.seller.address,
      extra: { name: "USDC", version: "2" },
    });
    const body = (await res.json()) as any;
    expect(body).toMatchObject(header);
    expect(body.reason).toBe("payment_required");
  });

  it("gives a browser a human 402 page with the same challenge header", async () => {
    const res = await fetch(url("/services/hello/"), { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(res.status).toBe(402);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("payment-required")).toBeTruthy();
    const html = await res.text();
    expect(html).toContain("Payment required");
    expect(html).toContain("0.01 USDC/request");
    expect(html).toContain("wrapFetchWithPayment");
  });

  it("answers 404 JSON for a path no offer publishes", async () => {
    const res = await fetch(url("/services/nope/x"));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "NOT_FOUND", reason: "no_such_service" });
  });

  it("pays with @x402/fetch: 200, upstream body, PAYMENT-RESPONSE tx, money moved, one settled row, revenue", async () => {
    const { buyer, seller } = f.devnet.accounts;
    const [buyerBefore, sellerBefore] = await Promise.all([
      f.usdcBalance(buyer.address),
      f.usdcBalance(seller.address),
    ]);
    const res = await f.payFetch(url("/services/hello/greet?x=1"), {
      headers: { authorization: "Bearer buyer-secret", cookie: "tollgate_session=admin" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ hello: "world", path: "/greet?x=1", payer: buyer.address });
    const receipt = decodePaymentResponseHeader(res.headers.get("payment-response") ?? "");
    expect(receipt).toMatchObject({ success: true, network: localNetwork });
    expect(receipt.transaction).toMatch(/^0x[0-9a-f]{64}$/);

    const [buyerAfter, sellerAfter] = await Promise.all([f.usdcBalance(buyer.address), f.usdcBalance(seller.address)]);
    expect(buyerBefore - buyerAfter).toBe(PRICE);
    expect(sellerAfter - sellerBefore).toBe(PRICE);

    // Header hygiene toward the upstream.
    const seen = f.upstream.log.calls.find((c) => c.path === "/greet?x=1");
    expect(seen?.headers["x-payment-payer"]).toBe(buyer.address);
    expect(seen?.headers["payment-signature"]).toBeUndefined();
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers.cookie).toBeUndefined();

    const rows = await rowsFor("/services/hello/greet");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: "settled",
      txHash: receipt.transaction,
      upstreamStatus: 200,
      x402Version: 2,
    });
    expect(rows[0]?.amount.toFixed(0)).toBe("10000");
    expect(rows[0]?.latencyMs).toBeGreaterThanOrEqual(0);

    // The transports: payments.list and payments.revenue on the read tier.
    const services = {
      payments: createPaymentsService({ repository: createPaymentRepository({ db: f.database.db }) }),
    };
    const caller = createCallerFactory(appRouter)({
      caller: { kind: "token", scope: "read", actor: "token:test" },
      services: services as unknown as AppServices,
    });
    const page = await caller.payments.list({ offer: "hello", limit: 50 });
    expect(page.payments.find((p) => p.txHash === receipt.transaction)).toMatchObject({
      state: "settled",
      offerName: "hello",
      amount: "10000",
    });
    const revenue = await caller.payments.revenue();
    expect(revenue.lines).toEqual([]);
    expect(revenue.totals).toEqual([]);
    const local = revenue.testLines.find((l) => l.chain === "local");
    expect(local).toMatchObject({ testnet: true, symbol: "USDC", asset: f.devnet.usdc });
    expect(BigInt(local?.amount ?? "0")).toBe(BigInt(local?.payments ?? 0) * PRICE);
    expect(revenue.testTotals[0]?.amount).toBe(local?.amount);
  });

  it("refuses the same payment header sent twice at once: one 200, one 402, upstream called once", async () => {
    const { payload, header } = await signPayment("/services/hello/replay");
    const before = upstreamCalls("/replay");
    const results = await Promise.all(
      [0, 1].map(() => fetch(url("/services/hello/replay"), { headers: { "payment-signature": header } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 402]);
    const refused = results.find((r) => r.status === 402);
    const refusal = (await refused?.json()) as any;
    expect(refusal.reason).toMatch(/payment_already_used|nonce/);
    expect(upstreamCalls("/replay") - before).toBe(1);
    const rows = await f.database.db.payment.findMany({ where: { nonce: nonceOf(payload) } });
    expect(rows.map((r) => r.state)).toEqual(["settled"]);

    // And later: still refused, upstream still not called.
    const later = await fetch(url("/services/hello/replay"), { headers: { "payment-signature": header } });
    expect(later.status).toBe(402);
    expect(upstreamCalls("/replay") - before).toBe(1);
  });

  it("passes an upstream 500 through without settling: no transfer, row upstream_failed", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const res = await f.payFetch(url("/services/hello/fail"));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "upstream broke" });
    expect(res.headers.get("payment-response")).toBeNull();
    expect(await f.usdcBalance(buyer)).toBe(before);
    const rows = await rowsFor("/services/hello/fail");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: "upstream_failed",
      upstreamStatus: 500,
      reason: "upstream_error",
      txHash: null,
    });
  });

  it("streams a POST body to the upstream and back", async () => {
    const res = await f.payFetch(url("/services/hello/echo"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "hi" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: "POST", echo: '{"prompt":"hi"}' });
  });

  it("withholds the body when settlement fails: 402 settlement_failed, row settle_failed", async () => {
    const before = f.upstream.log.calls.length;
    const res = await f.payFetch(url("/services/unsettled/secret"));
    expect(res.status).toBe(402);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ reason: "settlement_failed", x402Version: 2 });
    expect(JSON.stringify(body)).not.toContain("hello");
    expect(decodePaymentResponseHeader(res.headers.get("payment-response") ?? "")).toMatchObject({
      success: false,
      errorReason: "invalid_exact_evm_transaction_failed",
    });
    expect(f.upstream.log.calls.length).toBe(before + 1);
    const rows = await rowsFor("/services/unsettled/secret");
    expect(rows[0]).toMatchObject({
      state: "settle_failed",
      reason: "invalid_exact_evm_transaction_failed",
      upstreamStatus: 200,
      testnet: false,
    });
  });

  it("serves an unconfirmed settlement (a tx went out) with its hash and leaves the row settlement_pending", async () => {
    const res = await f.payFetch(url("/services/pending/x"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).hello).toBe("world");
    const receipt = decodePaymentResponseHeader(res.headers.get("payment-response") ?? "");
    expect(receipt).toMatchObject({
      success: false,
      errorReason: "settlement_pending",
      transaction: `0x${"ab".repeat(32)}`,
    });
    const rows = await rowsFor("/services/pending/x");
    expect(rows[0]).toMatchObject({
      state: "settlement_pending",
      reason: "settlement_pending",
      txHash: `0x${"ab".repeat(32)}`,
      upstreamStatus: 200,
    });
    // Out of the way of the crash-recovery test below, which resolves every pending devnet row.
    await f.database.db.payment.update({ where: { id: rows[0]?.id ?? "" }, data: { state: "abandoned" } });
  });

  it("refuses a malformed payment header with 400 invalid_payment_header", async () => {
    for (const value of ["%%%not-base64%%%", Buffer.from("{not json").toString("base64"), encodeBase64Json({ x: 1 })]) {
      const res = await fetch(url("/services/hello/"), { headers: { "payment-signature": value } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body).toMatchObject({ code: "INVALID_PAYMENT_HEADER", reason: "invalid_payment_header" });
      expect(body.hint).toBeTruthy();
      expect(body.error).toBeTruthy();
    }
  });

  it("refuses a payment for other requirements with 402 no_matching_requirement", async () => {
    const { payload } = await signPayment("/services/hello/");
    const tampered = { ...payload, accepted: { ...payload.accepted, amount: "1" } };
    const res = await fetch(url("/services/hello/"), { headers: { "payment-signature": encodeBase64Json(tampered) } });
    expect(res.status).toBe(402);
    expect(await res.json()).toMatchObject({ reason: "no_matching_requirement", x402Version: 2 });
  });

  it("refuses a payment whose signed authorization was altered after signing (value lowered) with an invalid_* reason", async () => {
    const { payload } = await signPayment("/services/hello/");
    const auth = (payload.payload as { authorization: Record<string, string> }).authorization;
    const forged = { ...payload, payload: { ...payload.payload, authorization: { ...auth, value: "1" } } };
    const res = await fetch(url("/services/hello/"), { headers: { "payment-signature": encodeBase64Json(forged) } });
    expect(res.status).toBe(402);
    const body = (await res.json()) as any;
    expect(body.reason).toMatch(/^invalid_/);
  });

  it("accepts a v1 X-PAYMENT, answers with X-PAYMENT-RESPONSE, and refuses the same X-PAYMENT again", async () => {
    const buyer = privateKeyToAccount(f.devnet.accounts.buyer.privateKey);
    const req = f.routes.hello.requirements;
    const now = BigInt(Math.floor(Date.now() / 1000));
    const authorization = {
      from: buyer.address,
      to: req.payTo as Hex,
      value: BigInt(req.amount),
      validAfter: now - 600n,
      validBefore: now + 120n,
      nonce: toHex(crypto.getRandomValues(new Uint8Array(32))),
    };
    const signature = await buyer.signTypedData({
      domain: { name: "USDC", version: "2", chainId: f.devnet.chainId, verifyingContract: f.devnet.usdc },
      types: {
        TransferWithAuthorization: [
          { name: "from", type: "address" },
          { name: "to", type: "address" },
          { name: "value", type: "uint256" },
          { name: "validAfter", type: "uint256" },
          { name: "validBefore", type: "uint256" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "TransferWithAuthorization",
      message: authorization,
    });
    const v1 = {
      x402Version: 1,
      scheme: "exact",
      network: "eip155:31337",
      payload: {
        signature,
        authorization: {
          ...authorization,
          value: authorization.value.toString(),
          validAfter: authorization.validAfter.toString(),
          validBefore: authorization.validBefore.toString(),
        },
      },
    };
    const res = await fetch(url("/services/hello/v1"), { headers: { "x-payment": encodeBase64Json(v1) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("payment-response")).toBeNull();
    const receipt = decodePaymentResponseHeader(res.headers.get("x-payment-response") ?? "");
    expect(receipt.success).toBe(true);
    const rows = await rowsFor("/services/hello/v1");
    expect(rows[0]).toMatchObject({ state: "settled", x402Version: 1, txHash: receipt.transaction });

    // The same v1 X-PAYMENT again is a replay: a v1 402, the upstream not called, no second row.
    const calls = f.upstream.log.calls.length;
    const replay = await fetch(url("/services/hello/v1"), { headers: { "x-payment": encodeBase64Json(v1) } });
    expect(replay.status).toBe(402);
    expect(await replay.json()).toMatchObject({ x402Version: 1 });
    expect(f.upstream.log.calls.length).toBe(calls);
    expect(await rowsFor("/services/hello/v1")).toHaveLength(1);

    // A v1 payment for a different amount gets a v1 402 body.
    const wrong = { ...v1, payload: { ...v1.payload, authorization: { ...v1.payload.authorization, value: "5" } } };
    const refused = await fetch(url("/services/hello/v1"), { headers: { "x-payment": encodeBase64Json(wrong) } });
    expect(refused.status).toBe(402);
    const body = (await refused.json()) as any;
    expect(body).toMatchObject({ x402Version: 1, reason: "no_matching_requirement" });
    expect(body.accepts[0]).toMatchObject({
      maxAmountRequired: "10000",
      network: "eip155:31337",
      asset: f.devnet.usdc,
    });
  });

  it("answers 503 retriable when the facilitator is unreachable, and never calls the upstream", async () => {
    const before = f.upstream.log.calls.length;
    const res = await f.payFetch(url("/services/down/thing"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ retriable: true, reason: "facilitator_unavailable" });
    expect(f.upstream.log.calls.length).toBe(before);
    expect(await rowsFor("/services/down/thing")).toEqual([]);
  });

  it("streams text/event-stream and settles after the stream ends", async () => {
    const seller = f.devnet.accounts.seller.address;
    const before = await f.usdcBalance(seller);
    const res = await f.payFetch(url("/services/hello/stream"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toContain('data: {"chunk":1}');
    expect(text).toContain("data: [DONE]");
    const receiptLine = text.split("\n").find((line) => line.startsWith(": x402-payment-response "));
    const receipt = decodePaymentResponseHeader(receiptLine?.slice(": x402-payment-response ".length) ?? "");
    expect(receipt.success).toBe(true);
    expect((await f.usdcBalance(seller)) - before).toBe(PRICE);
    const rows = await rowsFor("/services/hello/stream");
    expect(rows[0]).toMatchObject({ state: "settled", txHash: receipt.transaction });
  });

  it("does not settle a stream that delivered no bytes", async () => {
    const buyer = f.devnet.accounts.buyer.address;
    const before = await f.usdcBalance(buyer);
    const res = await f.payFetch(url("/services/hello/empty-stream"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(await f.usdcBalance(buyer)).toBe(before);
    const rows = await rowsFor("/services/hello/empty-stream");
    expect(rows[0]).toMatchObject({ state: "upstream_failed", reason: "no_bytes_delivered" });
  });

  it("moves the /metrics series: challenges, verified, settled, failures by reason", async () => {
    const res = await fetch(url("/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(series));
      return line ? Number(line.slice(series.length).trim()) : 0;
    };
    const hello = '{offer="hello",chain="local"}';
    expect(value(`tollgate_payment_challenges_total${hello}`)).toBeGreaterThanOrEqual(5);
    expect(value(`tollgate_payments_verified_total${hello}`)).toBeGreaterThanOrEqual(5);
    expect(value(`tollgate_payments_settled_total${hello}`)).toBeGreaterThanOrEqual(4);
    expect(value(`tollgate_upstream_failures_after_verify_total${hello}`)).toBeGreaterThanOrEqual(2);
    expect(value(`tollgate_payments_failed_total{offer="hello",chain="local",reason="upstream_error"}`)).toBe(1);
    expect(value(`tollgate_payments_failed_total{offer="hello",chain="local",reason="invalid_payment_header"}`)).toBe(
      3,
    );
    expect(
      value(`tollgate_payments_failed_total{offer="down",chain="base-sepolia",reason="facilitator_unavailable"}`),
    ).toBe(1);
    expect(value(`tollgate_payments_failed_total{offer="unsettled",chain="base",reason="settlement_failed"}`)).toBe(1);
    expect(value(`tollgate_last_settlement_timestamp_seconds${hello}`)).toBeGreaterThan(Date.now() / 1000 - 120);
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).toContain("tollgate_reconcile_duration_seconds_bucket");

    // A settlement moves the counter by exactly one.
    const settledBefore = value(`tollgate_payments_settled_total${hello}`);
    expect((await f.payFetch(url("/services/hello/again"))).status).toBe(200);
    const after = await (await fetch(url("/metrics"))).text();
    const line = after.split("\n").find((l) => l.startsWith(`tollgate_payments_settled_total${hello}`));
    expect(Number(line?.split(" ").at(-1))).toBe(settledBefore + 1);
  });

  it("resolves rows a crash left verified: used authorization → settled with its tx, unused → abandoned", async () => {
    const facilitator = (await f.chains.get("local"))?.facilitator;
    if (!facilitator) throw new Error("no local facilitator");
    const used = await signPayment("/services/hello/");
    const unused = await signPayment("/services/hello/");
    const settled = await facilitator.settle(used.payload, f.routes.hello.requirements);
    expect(settled.success).toBe(true);
    const payer = f.devnet.accounts.buyer.address.toLowerCase();
    const base = {
      offerId: f.routes.hello.offerId,
      offerGeneration: 1,
      chain: "local",
      network: localNetwork,
      testnet: true,
      asset: f.devnet.usdc,
      amount: "10000",
      payer,
      payTo: f.devnet.accounts.seller.address,
      x402Version: 2,
      requestMethod: "GET",
      requestPath: "/services/hello/crashed",
      facilitator: "local",
      state: "verified" as const,
    };
    const a = await f.database.db.payment.create({ data: { ...base, nonce: nonceOf(used.payload) } });
    const b = await f.database.db.payment.create({
      data: { ...base, nonce: nonceOf(unused.payload), state: "delivered" },
    });

    const payments = createPaymentRepository({ db: f.database.db });
    const result = await recoverPendingPayments({ payments, chains: f.chains, log: silentLog });
    expect(result).toEqual({ settled: 1, abandoned: 1, waiting: 0, unresolved: 0 });
    const rowA = await f.database.db.payment.findUniqueOrThrow({ where: { id: a.id } });
    const rowB = await f.database.db.payment.findUniqueOrThrow({ where: { id: b.id } });
    expect(rowA).toMatchObject({ state: "settled", txHash: settled.transaction });
    expect(rowB).toMatchObject({ state: "abandoned" });
    // A second start finds nothing left to resolve.
    expect(await recoverPendingPayments({ payments, chains: f.chains, log: silentLog })).toEqual({
      settled: 0,
      abandoned: 0,
      waiting: 0,
      unresolved: 0,
    });
  });
});
