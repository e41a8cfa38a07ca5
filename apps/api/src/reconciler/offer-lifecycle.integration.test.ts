import { createInProcessEventBus, createOfferService, type OfferService, type RouteTable } from "@tollgate/core";
import { buildChainRuntime, sellerAddress } from "@tollgate/core/testing/fixtures";
import { createSettingsStore } from "@tollgate/db";
import { createOfferRepository } from "@tollgate/db/repositories/offers";
import { createTestDatabase, type TestDatabase } from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoUpstreams, startDemoUpstreams } from "../demo/start-demo-upstreams.ts";
import { createLocalDriver } from "../drivers/local/create-local-driver.ts";
import { type Reconciler, startReconciler } from "./start-reconciler.ts";

const quiet = { info() {}, warn() {}, error() {} };
const actor = "test";

let database: TestDatabase;
let demo: DemoUpstreams;

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await startDemoUpstreams();
});

afterAll(async () => {
  await demo?.stop();
  await database?.close();
});

/** One "server": a service, the local driver's route table and a reconciler over the shared ledger, on one bus. */
function startNode(): { offers: OfferService; routes: RouteTable; reconciler: Reconciler } {
  const repo = createOfferRepository({ db: database.db });
  const chains = buildChainRuntime();
  const events = createInProcessEventBus();
  const driver = createLocalDriver({ resolveUpstream: demo.resolve });
  const reconciler = startReconciler({ repo, chains, driver, events, log: quiet });
  const offers = createOfferService({
    repo,
    chains,
    settings: createSettingsStore({ db: database.db }),
    events,
  });
  return { offers, routes: driver.routes, reconciler };
}

const condition = (
  view: { conditions: { type: string; status: string; reason: string; message: string; lastTransitionTime: string }[] },
  type: string,
) => view.conditions.find((c) => c.type === type);

describe("offer lifecycle through the reconciler (issue 4, acceptance 5 and 6)", () => {
  it("switching the unit from request to mtok leaves no trace of the old price", async () => {
    const node = startNode();
    await node.offers.create({
      actor,
      input: {
        name: "unit-switch",
        upstream: demo.urls.hello,
        payment: { price: "0.01", payTo: sellerAddress },
        registration: { enabled: false },
      },
    });
    await node.reconciler.runOnce();
    expect(node.routes.match("/services/unit-switch/x")?.route.requirements.amount).toBe("10000");

    const updated = await node.offers.update({
      actor,
      input: { name: "unit-switch", payment: { price: "2", unit: "mtok" } },
    });
    expect(updated.generation).toBe(2);
    await node.reconciler.runOnce();

    const row = await database.db.offer.findFirstOrThrow({ where: { name: "unit-switch" } });
    expect({ price: row.priceAmount, unit: row.priceUnit }).toEqual({ price: "2", unit: "mtok" });
    const route = node.routes.match("/services/unit-switch")?.route;
    expect(route?.requirements.amount).toBe("2000"); // 1,000 tokens at 2 USDC/mtok
    expect(route?.priceDisplay).toBe("2 USDC/mtok");
    expect(route?.generation).toBe(2);
    const shown = await node.offers.show({ name: "unit-switch" });
    expect(shown.payment).toMatchObject({ price: "2", unit: "mtok", display: "2 USDC/mtok", amountPerRequest: "2000" });
    const everything = JSON.stringify({ row, route, shown });
    expect(everything).not.toContain("0.01");
    expect(everything).not.toContain("10000");
    expect(everything).not.toContain("/request");

    // A unit change without a price is refused: no old amount may survive under a new unit.
    await expect(
      node.offers.update({ actor, input: { name: "unit-switch", payment: { unit: "hour" } } }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", field: "payment.price" });
    await node.reconciler.stop();
  });

  it("stop --grace 2s serves while draining, then unpublishes on time; start serves again; delete stays deleted after a restart", async () => {
    const node = startNode();
    await node.offers.create({
      actor,
      input: {
        name: "drainer",
        upstream: demo.urls.hello,
        payment: { price: "0.01", payTo: sellerAddress },
        registration: { enabled: false },
      },
    });
    await node.reconciler.runOnce();
    expect(node.routes.match("/services/drainer")).not.toBeNull();

    const stopped = await node.offers.stop({ actor, input: { name: "drainer", graceSeconds: 2 } });
    expect(stopped.state).toBe("stopped");
    const endsAt = stopped.drainEndsAt;
    expect(endsAt).not.toBeNull();
    await node.reconciler.runOnce();
    const draining = await node.offers.show({ name: "drainer" });
    expect(condition(draining, "Draining")).toMatchObject({ status: "True", reason: "Draining" });
    expect(condition(draining, "Draining")?.message).toContain(endsAt);
    expect(node.routes.match("/services/drainer")?.route.drainEndsAt).toBe(endsAt);

    // The reconciler schedules its own run at the drain end: no wake needed.
    await new Promise((r) => setTimeout(r, new Date(endsAt as string).getTime() - Date.now() + 200));
    // The scheduled run unpublishes the route and then writes the conditions; on a loaded machine that
    // run can take a moment, so wait (bounded) for it to have finished rather than for a fixed time.
    const settleBy = Date.now() + 10_000;
    let drained = await node.offers.show({ name: "drainer" });
    while (Date.now() < settleBy && condition(drained, "Draining")?.status !== "False") {
      await new Promise((r) => setTimeout(r, 100));
      drained = await node.offers.show({ name: "drainer" });
    }
    expect(node.routes.match("/services/drainer")).toBeNull();
    expect(condition(drained, "Draining")).toMatchObject({ status: "False", reason: "Drained" });
    expect(condition(drained, "RoutePublished")).toMatchObject({ status: "False", reason: "Drained" });

    await node.offers.start({ actor, input: { name: "drainer" } });
    await node.reconciler.runOnce();
    expect(node.routes.match("/services/drainer")).not.toBeNull();
    expect(condition(await node.offers.show({ name: "drainer" }), "Draining")).toMatchObject({ reason: "Active" });

    await node.offers.delete({ actor, input: { name: "drainer" } });
    await node.reconciler.runOnce();
    expect(node.routes.match("/services/drainer")).toBeNull();
    await node.reconciler.stop();

    const restarted = startNode();
    await restarted.reconciler.runOnce();
    expect(restarted.routes.match("/services/drainer")).toBeNull();
    expect((await restarted.offers.list()).map((o) => o.name)).not.toContain("drainer");
    expect((await restarted.offers.show({ name: "drainer" })).state).toBe("deleted");
    await restarted.reconciler.stop();
  });

  it("a fresh reconciler over an existing ledger publishes every active offer on its first run; stopped and deleted stay unpublished; a drain keeps its end", async () => {
    const node = startNode();
    const input = (name: string) => ({
      name,
      upstream: demo.urls.hello,
      payment: { price: "0.01", payTo: sellerAddress },
      registration: { enabled: false },
    });
    for (const name of ["r-active-1", "r-active-2", "r-stopped", "r-deleted", "r-draining"]) {
      await node.offers.create({ actor, input: input(name) });
    }
    await node.offers.create({
      actor,
      input: { ...input("r-demo"), upstream: "http://127.0.0.1" },
      demoUpstream: "demo://inference",
    });
    await node.offers.stop({ actor, input: { name: "r-stopped", graceSeconds: 0 } });
    await node.offers.delete({ actor, input: { name: "r-deleted" } });
    const draining = await node.offers.stop({ actor, input: { name: "r-draining", graceSeconds: 3600 } });
    await node.reconciler.stop();

    const fresh = startNode();
    await fresh.reconciler.runOnce();
    const published = fresh.routes.list().map((r) => r.name);
    expect(published).toEqual(expect.arrayContaining(["r-active-1", "r-active-2", "r-draining", "r-demo"]));
    expect(published).not.toContain("r-stopped");
    expect(published).not.toContain("r-deleted");
    // The demo upstream was resolved to this start's port.
    expect(fresh.routes.match("/services/r-demo")?.route.upstreamUrl).toBe(demo.urls.inference);
    const after = await fresh.offers.show({ name: "r-draining" });
    expect(after.drainEndsAt).toBe(draining.drainEndsAt);
    expect(fresh.routes.match("/services/r-draining")?.route.drainEndsAt).toBe(draining.drainEndsAt);
    await fresh.reconciler.stop();
  });

  it("conditions keep lastTransitionTime while the status holds; registration pending does not block the route", async () => {
    const node = startNode();
    await node.offers.create({
      actor,
      input: {
        name: "steady-health",
        upstream: `${demo.urls.hello}/`,
        healthPath: "/health",
        payment: { price: "1", payTo: sellerAddress },
      },
    });
    await node.reconciler.runOnce();
    const first = condition(await node.offers.show({ name: "steady-health" }), "UpstreamHealthy") as {
      lastTransitionTime: string;
    };
    await node.reconciler.runOnce();
    const second = condition(await node.offers.show({ name: "steady-health" }), "UpstreamHealthy") as {
      lastTransitionTime: string;
    };
    expect(second?.lastTransitionTime).toBe(first?.lastTransitionTime);
    // Registration enabled by default: it waits for registration but still serves.
    const view = await node.offers.show({ name: "steady-health" });
    expect(condition(view, "Registered")).toMatchObject({ status: "False", reason: "AwaitingRegistration" });
    expect(condition(view, "RoutePublished")).toMatchObject({ status: "True" });
    await node.reconciler.stop();
  });

  it("three overlapping runOnce calls and a wake add one or two runs, not four (they coalesce)", async () => {
    const node = startNode();
    await node.reconciler.runOnce();
    const before = node.reconciler.stats().runs;
    const runs = [node.reconciler.runOnce(), node.reconciler.runOnce(), node.reconciler.runOnce()];
    node.reconciler.wake();
    await Promise.all(runs);
    const after = node.reconciler.stats().runs;
    expect(after - before).toBeLessThanOrEqual(2);
    expect(after - before).toBeGreaterThanOrEqual(1);
    await node.reconciler.stop();
  });
});
