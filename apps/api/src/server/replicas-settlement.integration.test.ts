import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  chainReader,
  createBuyer,
  type DevnetView,
  routeStatus,
  startHoldingUpstream,
  waitFor,
} from "../recovery/testing/recovery-box.ts";
import { type Replica, readReadyz, useReplicaSet } from "../testing/replica-set.ts";
import { runConcurrent, startRoundRobinBalancer } from "../testing/round-robin-balancer.ts";

// SPEC §15: a gas account has exactly one writer across replicas (each replica leases its own from the
// ledger's pool), so paid load through a balancer over three replicas settles every payment once, with no
// nonce race; a replica killed mid-load loses nothing and leaves no payment unresolved.
const cluster = useReplicaSet();
let upstream: Awaited<ReturnType<typeof startHoldingUpstream>>;
beforeAll(async () => {
  upstream = await startHoldingUpstream();
});
afterAll(() => upstream?.close());

type PaymentRow = { id: string; state: string; txHash: string | null; payer: string };

describe("settlement across replicas", () => {
  let a: Replica;
  let b: Replica;
  let c: Replica;
  let devnet: DevnetView;

  beforeAll(async () => {
    a = await cluster.start("pay-a", { TOLLGATE_DEVNET: "on" });
    [b, c] = await Promise.all([cluster.start("pay-b"), cluster.start("pay-c")]);
    const api = adminClient(a.home, a.url);
    devnet = (await api.devnet.info.query()) as DevnetView;
    await api.offers.create.mutate({
      name: "paid",
      upstream: upstream.url,
      payment: { price: "0.01" },
      registration: { enabled: false },
    } as never);
    for (const r of [a, b, c])
      await waitFor(
        `402 on ${r.id}`,
        () => routeStatus(r.url, "paid"),
        (s) => s === 402,
      );
  });

  const payments = async (via: Replica = b) => {
    const page = await adminClient(via.home, via.url).payments.list.query({ offer: "paid", limit: 500 });
    return page.payments as PaymentRow[];
  };

  it("acceptance 2 (scaled down): 90 paid requests at c=12 through the balancer all settle, each replica from its own gas account", async () => {
    const balancer = await startRoundRobinBalancer([a.url, b.url, c.url]);
    const buyer = createBuyer(devnet);
    const results = await runConcurrent(90, 12, async () => {
      const res = await buyer.payFetch(`${balancer.url}/services/paid/`);
      await res.arrayBuffer();
      return res.status;
    });
    await balancer.close();
    expect(results.filter((r) => r.status === 200).length).toBe(90);

    const rows = await waitFor(
      "90 settled rows",
      payments,
      (list) => list.filter((p) => p.state === "settled").length === 90,
    );
    expect(rows.length).toBe(90);
    // Every settlement transaction was sent by a gas account only one replica writes with.
    const reader = chainReader(devnet);
    const hashes = [...new Set(rows.map((p) => p.txHash as Hex))];
    const senders = await Promise.all(hashes.map(async (hash) => (await reader.chain.getTransaction({ hash })).from));
    expect(new Set(senders).size).toBe(3);
    for (const r of [a, b, c]) expect(r.output()).not.toMatch(/nonce too low/i);
  });

  it("acceptance 4: kill -9 of a follower mid-load: the others keep serving; every 200 is settled and no row stays unresolved", async () => {
    const balancer = await startRoundRobinBalancer([a.url, b.url, c.url]);
    const buyer = createBuyer(devnet);
    const before = (await payments()).length;
    const results = await runConcurrent(60, 12, async (index) => {
      if (index === 20) c.child.kill("SIGKILL");
      const res = await buyer.payFetch(`${balancer.url}/services/paid/`);
      await res.arrayBuffer();
      return res.status;
    });
    await balancer.close();
    const ok = results.filter((r) => r.status === 200).length;
    // The balancer retries connection errors, so only requests cut off inside the killed replica can fail.
    expect(ok).toBeGreaterThanOrEqual(45);

    // The leader resolves the dead replica's rows: none stays verified/delivered/settlement_pending.
    const rows = await waitFor(
      "every row resolved",
      payments,
      (list) => list.every((p) => !["verified", "delivered", "settlement_pending"].includes(p.state)),
      60_000,
    );
    const settled = rows.filter((p) => p.state === "settled").length;
    expect(settled - 90).toBeGreaterThanOrEqual(ok);
    expect(rows.length - before).toBeLessThanOrEqual(60);
    for (const r of [a, b]) expect(r.output()).not.toMatch(/nonce too low/i);
  });

  it("acceptance 3: kill -9 of the leader mid-load: a new leader within 10 s, every 200 settled, nothing left unresolved, new offers become Ready", async () => {
    const balancer = await startRoundRobinBalancer([a.url, b.url]);
    const buyer = createBuyer(devnet);
    const before = await payments();
    const settledBefore = before.filter((p) => p.state === "settled").length;
    let leadership: Promise<number> | null = null;
    const results = await runConcurrent(60, 12, async (index) => {
      if (index === 20) {
        a.child.kill("SIGKILL");
        const killedAt = Date.now();
        // Milliseconds from the kill until b says it leads (polled every 50 ms while the load goes on).
        leadership = waitFor(
          "b to lead",
          () => readReadyz(b.url),
          (v) => v?.role === "leader",
          15_000,
          50,
        ).then(() => Date.now() - killedAt);
      }
      const res = await buyer.payFetch(`${balancer.url}/services/paid/`);
      await res.arrayBuffer();
      return res.status;
    });
    await balancer.close();
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(45);

    expect(await (leadership ?? Promise.reject(new Error("the leader was never killed")))).toBeLessThan(10_000);
    const rows = await waitFor(
      "every row resolved",
      () => payments(b),
      (list) => list.every((p) => !["verified", "delivered", "settlement_pending"].includes(p.state)),
      60_000,
    );
    expect(rows.filter((p) => p.state === "settled").length - settledBefore).toBeGreaterThanOrEqual(ok);

    const api = adminClient(b.home, b.url);
    await api.offers.create.mutate({
      name: "after-kill",
      upstream: upstream.url,
      payment: { price: "0.01" },
      registration: { enabled: false },
    } as never);
    const conditions = await waitFor(
      "the new offer to be Ready",
      async () => (await api.offers.show.query({ name: "after-kill" })).conditions,
      (list) => list.some((c) => c.type === "Ready" && c.status === "True"),
      30_000,
    );
    expect(conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(b.output()).not.toMatch(/nonce too low/i);
  });
});
