import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type StartedKubeTestServer, startKubeTestServer } from "@tollgate/kube-test-server";
import { echoServiceManifest } from "@tollgate/kube-test-server/testing/echo-service";
import { createKubectl } from "@tollgate/kube-test-server/testing/kubectl";
import { makeTestHome, removeTestHome } from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../recovery/testing/recovery-box.ts";
import { type Replica, readReadyz, useReplicaSet } from "../testing/replica-set.ts";
import { runCli, serveEnv } from "../testing/serve-process.ts";

// SPEC §15 with the kubernetes driver: leadership is a coordination.k8s.io/v1 Lease (`tollgate-leader` in
// Tollgate's namespace), not the ledger's advisory lock. Two replicas on one ledger and one API server (the
// test server, with resourceVersion conflicts on update): exactly one holds the Lease, kubectl shows it, and
// after a kill -9 of the holder the other takes the Lease over within 10 s.
const cluster = useReplicaSet();
let api: StartedKubeTestServer;
let kubectl: ReturnType<typeof createKubectl>;
let kubeHome = "";
let kubeconfig = "";

beforeAll(async () => {
  kubeHome = makeTestHome();
  kubeconfig = join(kubeHome, "kubeconfig");
  api = await startKubeTestServer({ kubeconfig });
  kubectl = createKubectl(kubeconfig);
});
afterAll(async () => {
  await api?.stop();
  if (kubeHome) removeTestHome(kubeHome);
});

type LeaseJson = {
  metadata: { resourceVersion: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; leaseTransitions?: number };
};

const getLease = async (): Promise<LeaseJson | null> => {
  const res = await kubectl.run(["get", "lease", "tollgate-leader", "-n", "default", "-o", "json"]);
  return res.code === 0 ? (JSON.parse(res.stdout) as LeaseJson) : null;
};

const cli = (replica: Replica, args: string[]) =>
  runCli([...args, "--json"], serveEnv(replica.home, { TOLLGATE_URL: replica.url }));

describe("leadership through a Kubernetes Lease", () => {
  it("exactly one replica holds the Lease; kubectl shows it; kill -9 of the holder moves it within 10 s", async () => {
    const env = { TOLLGATE_DRIVER: "kubernetes", KUBECONFIG: kubeconfig, TOLLGATE_DEVNET: "on" };
    // Started at the same moment: both race to create the Lease; the API server lets one create win.
    const [a, b] = await Promise.all([cluster.start("lease-a", env), cluster.start("lease-b", env)]);
    const views = await Promise.all([readReadyz(a.url), readReadyz(b.url)]);
    const leaders = views.filter((view) => view?.role === "leader");
    expect(leaders).toHaveLength(1);
    const holderId = leaders[0]?.replica ?? "";
    const [holder, other] = holderId === a.id ? [a, b] : [b, a];
    expect(views.every((view) => view?.leader === holderId)).toBe(true);

    // kubectl sees the same holder, renewing (its resourceVersion moves) with a lease short enough for 10 s.
    const lease = await getLease();
    expect(lease?.spec.holderIdentity).toBe(holderId);
    expect(lease?.spec.leaseDurationSeconds).toBeLessThanOrEqual(6);
    const renewed = await waitFor(
      "a renewal",
      getLease,
      (next) => next !== null && next.metadata.resourceVersion !== lease?.metadata.resourceVersion,
      10_000,
    );
    expect(renewed?.spec.holderIdentity).toBe(holderId);
    const table = await kubectl.run(["get", "lease", "-n", "default"]);
    expect(table.stdout).toMatch(new RegExp(`^tollgate-leader\\s+${holderId}\\s`, "m"));

    // `tollgate cluster status` on the follower names the holder and the Lease as what decides.
    const status = await cli(other, ["cluster", "status"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).replication).toMatchObject({
      replica: other.id,
      role: "follower",
      leader: holderId,
      election: "kubernetes Lease default/tollgate-leader",
    });

    // The ledger's advisory lock plays no part: the follower is still a follower after several of its rounds.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await readReadyz(other.url))?.role).toBe("follower");

    // Only the leader projects and judges kubectl's changes: an applied ServiceOffer is adopted once, and its
    // Accepted condition says so and stays so (two judges would race: one create wins, the other is refused).
    const serviceOffer = (name: string) => {
      const file = join(kubeHome, `${name}.yaml`);
      writeFileSync(
        file,
        `apiVersion: obol.org/v1alpha1
kind: ServiceOffer
metadata: {name: ${name}, namespace: default}
spec:
  type: http
  upstream: {service: echo, namespace: default, port: 8080}
  payment: {network: local, price: {perRequest: "0.02"}}
`,
      );
      return file;
    };
    const echo = join(kubeHome, "echo.yaml");
    writeFileSync(echo, echoServiceManifest(9));
    expect((await kubectl.run(["apply", "-f", echo])).code).toBe(0);
    expect((await kubectl.run(["apply", "-f", serviceOffer("adopted")])).code).toBe(0);
    const accepted = async (name: string) => {
      const res = await kubectl.run(["get", "serviceoffer", name, "-n", "default", "-o", "json"]);
      const so = res.code === 0 ? JSON.parse(res.stdout) : null;
      return so?.status?.conditions?.find((c: { type: string }) => c.type === "Accepted") as
        | { status: string; reason: string; message: string }
        | undefined;
    };
    await waitFor(
      "Accepted",
      () => accepted("adopted"),
      (c) => c !== undefined,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await accepted("adopted")).toMatchObject({ status: "True", reason: "Accepted" });

    const killedAt = Date.now();
    holder.child.kill("SIGKILL");
    await holder.exited;
    let movedAfterMs: number | null = null;
    while (Date.now() - killedAt < 20_000) {
      if ((await readReadyz(other.url))?.role === "leader") {
        movedAfterMs = Date.now() - killedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.info(`kill -9 of the Lease holder ${holderId}: ${other.id} leads after ${movedAfterMs} ms`);
    expect(movedAfterMs).not.toBeNull();
    expect(movedAfterMs).toBeLessThan(10_000);
    const taken = await getLease();
    expect(taken?.spec.holderIdentity).toBe(other.id);
    expect(taken?.spec.leaseTransitions).toBe((lease?.spec.leaseTransitions ?? 0) + 1);
    expect(await readReadyz(other.url)).toMatchObject({ role: "leader", leader: other.id });
    // The new leader projects and judges from now on: a ServiceOffer applied after the kill is adopted.
    expect((await kubectl.run(["apply", "-f", serviceOffer("after-kill")])).code).toBe(0);
    const adopted = await waitFor(
      "Accepted after the kill",
      () => accepted("after-kill"),
      (c) => c !== undefined,
      15_000,
    );
    expect(adopted).toMatchObject({ status: "True", reason: "Accepted" });
  });
});
