import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { CoordinationV1Api, KubeConfig } from "@kubernetes/client-node";
import { type StartedKubeTestServer, startKubeTestServer } from "@tollgate/kube-test-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LeaseElection, leaseTiming, startLeaseElection } from "./start-lease-election.ts";

// The Lease election against the test API server (resourceVersion conflicts on update, like kube-apiserver):
// racing candidates produce exactly one holder; a leader cut off from the API server steps down before anyone
// may take over; a stopped leader hands the Lease back.
let api: StartedKubeTestServer;
const quiet = { info() {}, warn() {} };
const running: LeaseElection[] = [];
const proxies: Server[] = [];

beforeAll(async () => {
  api = await startKubeTestServer();
});
afterAll(async () => {
  for (const election of running) await election.stop();
  for (const proxy of proxies) proxy.close();
  await api?.stop();
});

/** A kubeconfig for the test server, optionally through `server` (a proxy URL). */
const kubeConfigFor = (server = api.url) => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "test", server, skipTLSVerify: true }],
    users: [{ name: "test", token: api.token }],
    contexts: [{ name: "test", cluster: "test", user: "test" }],
    currentContext: "test",
  });
  return kc;
};

/** A TCP proxy to the API server that can be cut (the candidate behind it can no longer reach the server). */
async function startCuttableProxy(): Promise<{ url: string; cut(): void }> {
  const target = new URL(api.url);
  const sockets = new Set<Socket>();
  let open = true;
  const proxy = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  proxies.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `${target.protocol}//127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
  };
}

const candidate = async (identity: string, name: string, server?: string) => {
  const election = await startLeaseElection({
    kubeConfig: kubeConfigFor(server),
    namespace: "default",
    identity,
    name,
    log: quiet,
  });
  running.push(election);
  return election;
};

describe("startLeaseElection", () => {
  it("eight candidates starting at once: exactly one holds the Lease and all of them name it", async () => {
    const elections = await Promise.all(Array.from({ length: 8 }, (_, i) => candidate(`c${i}`, "race")));
    const leaders = elections.filter((e) => e.isLeader());
    expect(leaders).toHaveLength(1);
    const holder = leaders[0]?.leaderId();
    expect(elections.map((e) => e.leaderId())).toEqual(Array(8).fill(holder));
    // Several rounds later it is still exactly one, the same one (renewals win; nobody sees it expire).
    await new Promise((resolve) => setTimeout(resolve, leaseTiming.leaseDurationSeconds * 1000 + 2_000));
    expect(elections.filter((e) => e.isLeader()).map((e) => e.leaderId())).toEqual([holder]);
  });

  it("two processes under one replica id (a duplicate, or a killed one's Lease): never both lead", async () => {
    const first = await candidate("twin", "twins");
    const second = await candidate("twin", "twins");
    expect(first.isLeader()).toBe(true);
    // The second renews nothing it did not write: it follows while the first keeps renewing.
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setTimeout(resolve, leaseTiming.retryMs));
      expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);
    }
  });

  it("a leader cut off from the API server steps down before another candidate takes the Lease over", async () => {
    const proxy = await startCuttableProxy();
    const first = await candidate("cut-off", "cut", proxy.url);
    const second = await candidate("standby", "cut");
    expect(first.isLeader()).toBe(true);
    expect(second.isLeader()).toBe(false);
    const events: string[] = [];
    first.onChange((leads) => events.push(`cut-off ${leads ? "leads" : "stepped down"}`));
    second.onChange((leads) => events.push(`standby ${leads ? "leads" : "stepped down"}`));
    const cutAt = Date.now();
    proxy.cut();
    while (!second.isLeader() && Date.now() - cutAt < 15_000) await new Promise((r) => setTimeout(r, 50));
    const after = Date.now() - cutAt;
    console.info(`leader cut off: ${events.join(", ")}; standby leads after ${after} ms`);
    expect(events).toEqual(["cut-off stepped down", "standby leads"]);
    expect(after).toBeLessThan(10_000);
  });

  it("a stopped leader hands the Lease back (empty holder); the next candidate takes it", async () => {
    const first = await candidate("leaving", "handback");
    const second = await candidate("next", "handback");
    expect(first.isLeader()).toBe(true);
    await first.stop();
    const leases = kubeConfigFor().makeApiClient(CoordinationV1Api);
    const handed = await leases.readNamespacedLease({ name: "handback", namespace: "default" });
    expect(handed.spec?.holderIdentity ?? "").toBe("");
    expect(first.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    while (!second.isLeader() && Date.now() - stoppedAt < 15_000) await new Promise((r) => setTimeout(r, 50));
    console.info(`handback: next leads after ${Date.now() - stoppedAt} ms`);
    expect(second.isLeader()).toBe(true);
    const taken = await leases.readNamespacedLease({ name: "handback", namespace: "default" });
    expect(taken.spec).toMatchObject({ holderIdentity: "next", leaseTransitions: 1 });
  });
});
