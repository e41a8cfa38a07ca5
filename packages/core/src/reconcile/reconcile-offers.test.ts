import { describe, expect, it } from "vitest";
import type { Offer } from "../offers/offer.ts";
import { buildOffer, buildPaymentRequirements, buildResolvedChain } from "../testing/fixtures.ts";
import { diffRoutes, isEmptyDiff } from "./diff-routes.ts";
import type { GateObservation, UpstreamObservation } from "./observations.ts";
import { reconcileOffers } from "./reconcile-offers.ts";

const now = new Date("2026-02-01T12:00:00.000Z");
const readyGate: GateObservation = { status: "ready", chain: buildResolvedChain("local"), facilitator: "local" };
const healthy: UpstreamObservation = { url: "http://127.0.0.1:9999", health: { ok: true } };

function run(offers: Offer[], options: { upstream?: UpstreamObservation; gate?: GateObservation; at?: Date } = {}) {
  const upstreams = new Map(offers.map((o) => [o.id, options.upstream ?? healthy]));
  const gates = new Map([["local", options.gate ?? readyGate]]);
  return reconcileOffers({ offers, upstreams, gates, now: options.at ?? now });
}

function conditionsOf(plan: ReturnType<typeof run>, offer: Offer) {
  return Object.fromEntries((plan.conditions.get(offer.id) ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
}

describe("reconcileOffers conditions", () => {
  it("writes the conditions of SPEC §4.2 in order and publishes a ready offer", () => {
    const offer = buildOffer();
    const plan = run([offer]);
    expect(plan.conditions.get(offer.id)?.map((c) => c.type)).toEqual([
      "UpstreamHealthy",
      "ModelReady",
      "PaymentGateReady",
      "RoutePublished",
      "Registered",
      "Draining",
      "Ready",
    ]);
    expect(conditionsOf(plan, offer)).toEqual({
      UpstreamHealthy: "True/Healthy",
      ModelReady: "True/Skipped",
      PaymentGateReady: "True/Ready",
      RoutePublished: "True/Published",
      Registered: "True/Disabled",
      Draining: "False/Active",
      Ready: "True/Ready",
    });
    expect(plan.routes).toHaveLength(1);
    expect(plan.routes[0]).toMatchObject({ path: "/services/hello", priceDisplay: "0.01 USDC/request" });
    expect(plan.routes[0]?.requirements).toEqual(buildPaymentRequirements());
    expect(plan.conditions.get(offer.id)?.every((c) => c.observedGeneration === 1)).toBe(true);
  });

  it("reports an unhealthy upstream and does not publish", () => {
    const offer = buildOffer();
    const plan = run([offer], {
      upstream: { url: "http://x", health: { ok: false, reason: "Unhealthy", message: "HTTP 500" } },
    });
    expect(conditionsOf(plan, offer)).toMatchObject({
      UpstreamHealthy: "False/Unhealthy",
      RoutePublished: "False/WaitingForUpstream",
      Ready: "False/Reconciling",
    });
    expect(plan.routes).toEqual([]);
  });

  it("checks the model of an inference offer against /v1/models", () => {
    const offer = buildOffer({ type: "inference", model: "demo-1" });
    const served = run([offer], { upstream: { ...healthy, models: { ok: true, ids: ["demo-1"] } } });
    expect(conditionsOf(served, offer).ModelReady).toBe("True/ModelServed");
    const missing = run([offer], { upstream: { ...healthy, models: { ok: true, ids: ["other"] } } });
    expect(conditionsOf(missing, offer).ModelReady).toBe("False/ModelNotServed");
    expect(missing.routes).toEqual([]);
    const noModel = run([buildOffer({ type: "inference", model: null })]);
    expect(conditionsOf(noModel, buildOffer()).ModelReady).toBe("False/MissingModel");
  });

  it("waits for the payment gate: chain not configured, facilitator down, unknown asset, zero price", () => {
    const offer = buildOffer();
    const notConfigured = run([offer], {
      gate: { status: "unavailable", reason: "ChainNotConfigured", message: "local is not configured" },
    });
    expect(conditionsOf(notConfigured, offer)).toMatchObject({
      PaymentGateReady: "False/ChainNotConfigured",
      RoutePublished: "False/WaitingForPaymentGate",
    });
    const down = run([offer], { gate: { status: "unavailable", reason: "FacilitatorUnavailable", message: "x" } });
    expect(conditionsOf(down, offer).PaymentGateReady).toBe("False/FacilitatorUnavailable");
    const otherAsset = buildOffer({ payment: { asset: "0x0000000000000000000000000000000000000001" } });
    expect(conditionsOf(run([otherAsset]), otherAsset).PaymentGateReady).toBe("False/UnsupportedAsset");
    const zero = buildOffer({ payment: { price: "0" } });
    expect(conditionsOf(run([zero]), zero).PaymentGateReady).toBe("False/ZeroPrice");
  });

  it("lets the older offer keep a shared path and refuses reserved paths", () => {
    const older = buildOffer({ name: "a", path: "/services/x", createdAt: new Date("2026-01-01T00:00:00Z") });
    const newer = buildOffer({ name: "b", path: "/services/x", createdAt: new Date("2026-01-02T00:00:00Z") });
    const plan = run([newer, older]);
    expect(conditionsOf(plan, older).RoutePublished).toBe("True/Published");
    expect(conditionsOf(plan, newer).RoutePublished).toBe("False/PathConflict");
    expect(plan.routes.map((r) => r.name)).toEqual(["a"]);
    const reserved = buildOffer({ name: "c", path: "/metrics/x" });
    expect(conditionsOf(run([reserved]), reserved).RoutePublished).toBe("False/ReservedPath");
  });

  it("keeps a draining offer published until its drain end, then reports Drained", () => {
    const offer = buildOffer({ state: "stopped", drainAt: new Date(now.getTime() - 1000), drainGraceSeconds: 2 });
    const during = run([offer]);
    expect(conditionsOf(during, offer)).toMatchObject({ Draining: "True/Draining", RoutePublished: "True/Published" });
    expect(during.routes[0]?.drainEndsAt).toBe(new Date(now.getTime() + 1000).toISOString());
    expect(during.nextWakeAt).toEqual(new Date(now.getTime() + 1000));
    const after = run([offer], { at: new Date(now.getTime() + 1000) });
    expect(conditionsOf(after, offer)).toMatchObject({ Draining: "False/Drained", RoutePublished: "False/Drained" });
    expect(after.routes).toEqual([]);
    expect(after.nextWakeAt).toBeNull();
  });

  it("never publishes or reconciles deleted offers", () => {
    const plan = run([buildOffer({ state: "deleted", deletedAt: now })]);
    expect(plan.routes).toEqual([]);
    expect(plan.conditions.size).toBe(0);
  });

  it("registration enabled waits for registration without blocking the route", () => {
    const offer = buildOffer({ registration: { enabled: true } });
    const plan = run([offer]);
    expect(conditionsOf(plan, offer)).toMatchObject({
      Registered: "False/AwaitingRegistration",
      RoutePublished: "True/Published",
      Ready: "False/Reconciling",
    });
  });

  it("serves a stored offer that newer rules reject, with a warning", () => {
    const offer = buildOffer({ model: null, description: "x".repeat(5000) });
    const plan = run([offer]);
    expect(plan.routes).toHaveLength(1);
    const ready = plan.conditions.get(offer.id)?.find((c) => c.type === "Ready");
    expect(ready?.status).toBe("True");
    expect(ready?.message).toContain("warning");
  });

  it("keeps serving a stored offer on a later-reserved path, a metadata upstream or a huge price, with warnings", () => {
    const offer = buildOffer({
      path: "/offers/legacy",
      upstreamUrl: "http://169.254.169.254/latest",
      payment: { price: "2000000" },
    });
    const plan = run([offer]);
    expect(plan.routes.map((r) => r.path)).toEqual(["/offers/legacy"]);
    const ready = plan.conditions.get(offer.id)?.find((c) => c.type === "Ready");
    expect(ready?.message).toMatch(/path: .*reserved/);
    expect(ready?.message).toMatch(/upstream: .*link-local/);
    expect(ready?.message).toMatch(/payment\.price: must be at most 1,000,000/);
  });
});

describe("diffRoutes", () => {
  it("finds added, removed and changed routes", () => {
    const [a, b, c] = run([buildOffer({ name: "a" }), buildOffer({ name: "b" }), buildOffer({ name: "c" })]).routes;
    if (!a || !b || !c) throw new Error("expected three routes");
    const changed = { ...b, generation: 2 };
    const diff = diffRoutes([a, changed], [b, c]);
    expect(diff.add.map((r) => r.name)).toEqual(["a"]);
    expect(diff.remove.map((r) => r.name)).toEqual(["c"]);
    expect(diff.change.map((x) => x.to.generation)).toEqual([2]);
    expect(isEmptyDiff(diffRoutes([a], [a]))).toBe(true);
  });
});
