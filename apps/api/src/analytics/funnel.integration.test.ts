import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAnalyticsService, createFunnelCounter } from "@tollgate/core/analytics/index";
import { encodeBase64Json } from "@tollgate/core/gateway/index";
import { createAnalyticsRepository, createPaymentRepository } from "@tollgate/db";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../gateway/create-gateway.ts";
import { type GatewayFixture, silentLog, startGatewayFixture } from "../gateway/testing/start-gateway-fixture.ts";
import { createMetrics } from "../metrics/create-metrics.ts";
import { createInMemoryRouteTable } from "../drivers/local/in-memory-route-table.ts";
import { startFunnelFlusher } from "./start-funnel-flusher.ts";

let f: GatewayFixture;
let origin: string;
const server = createServer();
const metrics = createMetrics({ processMetrics: false });
const counter = createFunnelCounter();
let flusher: ReturnType<typeof startFunnelFlusher>;

beforeAll(async () => {
  f = await startGatewayFixture();
  const routes = createInMemoryRouteTable();
  routes.replace([f.routes.hello]);
  // The gateway as the server builds it: the fixture's chains and ledger, with the funnel counter attached.
  const gateway = createGateway({
    routes,
    chains: f.chains,
    payments: createPaymentRepository({ db: f.database.db }),
    metrics,
    publicBaseUrl: () => origin,
    log: silentLog,
    funnel: counter,
  });
  server.on("request", (req, res) => void gateway.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  flusher = startFunnelFlusher({
    counter,
    repository: createAnalyticsRepository({ db: f.database.db }),
    log: silentLog,
    intervalMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await flusher?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await f?.close();
});

const funnel = () =>
  createAnalyticsService({ repository: createAnalyticsRepository({ db: f.database.db }) }).funnel({
    since: "24h",
    offer: "hello",
  });

describe("the payment funnel", () => {
  it("counts a 402 challenge, a verification failure with its reason and a settlement, each on its own", async () => {
    const start = await funnel();
    expect(start).toMatchObject({ challenges: 0, refused: 0, verified: 0, settled: 0 });

    // 1. A request without a payment: one challenge, nothing else.
    const unpaid = await fetch(`${origin}/services/hello/`);
    expect(unpaid.status).toBe(402);
    await flusher.flush();
    expect(await funnel()).toMatchObject({ challenges: 1, refused: 0, verified: 0, settled: 0, failures: [] });

    // 2. A payment whose signed value was changed: the facilitator refuses it; no row, one refusal by reason.
    const required = decodePaymentRequiredHeader(unpaid.headers.get("payment-required") ?? "");
    const payload = await f.buyerClient.createPaymentPayload(required);
    const auth = (payload.payload as { authorization: Record<string, string> }).authorization;
    const forged = { ...payload, payload: { ...payload.payload, authorization: { ...auth, value: "1" } } };
    const refused = await fetch(`${origin}/services/hello/`, {
      headers: { "payment-signature": encodeBase64Json(forged) },
    });
    expect(refused.status).toBe(402);
    const reason = ((await refused.json()) as { reason: string }).reason;
    expect(reason).toMatch(/^invalid_/);
    await flusher.flush();
    const afterRefusal = await funnel();
    expect(afterRefusal).toMatchObject({ challenges: 1, refused: 1, verified: 0, settled: 0 });
    expect(afterRefusal.failures).toEqual([{ stage: "refused", reason, count: 1 }]);

    // 3. A paid request with the official client (it asks first: a second challenge), settled on the devnet.
    const paid = await f.payFetch(`${origin}/services/hello/`);
    expect(paid.status).toBe(200);
    await flusher.flush();
    const afterPayment = await funnel();
    expect(afterPayment).toMatchObject({ challenges: 2, refused: 1, verified: 1, settled: 1, failed: 0 });
    expect(afterPayment.failures).toEqual([{ stage: "refused", reason, count: 1 }]);
  });

  it("exports request and settlement latency histograms", async () => {
    const { body } = await metrics.render();
    expect(body).toMatch(
      /tollgate_gateway_request_duration_seconds_count\{offer="hello",chain="local",outcome="paid"\} 1\n/,
    );
    expect(body).toMatch(
      /tollgate_gateway_request_duration_seconds_count\{offer="hello",chain="local",outcome="payment_required"\} 3\n/,
    );
    expect(body).toMatch(/tollgate_settlement_duration_seconds_count\{chain="local"\} 1\n/);
  });
});
