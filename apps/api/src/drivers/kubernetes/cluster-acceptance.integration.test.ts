// Issue 11 acceptance against the test API server, driven with kubectl and the Tollgate CLI: a real
// `tollgate serve` with TOLLGATE_DRIVER=kubernetes, the devnet, and a paid request through the gateway.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type StartedKubeTestServer, startKubeTestServer } from "@tollgate/kube-test-server";
import { echoServiceManifest } from "@tollgate/kube-test-server/testing/echo-service";
import { createKubectl } from "@tollgate/kube-test-server/testing/kubectl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminClient,
  createBuyer,
  type DevnetView,
  startHoldingUpstream,
  waitFor,
} from "../../recovery/testing/recovery-box.ts";
import { runCli, type ServeProcess, serveEnv } from "../../testing/serve-process.ts";
import { useServeHome } from "../../testing/serve-home.ts";

let api: StartedKubeTestServer;
let kubectl: ReturnType<typeof createKubectl>;
let upstream: Awaited<ReturnType<typeof startHoldingUpstream>>;
let server: ServeProcess;
let kubeconfig: string;
const serve = useServeHome();

type Condition = { type: string; status: string; reason: string; message: string };

const getJson = async (...args: string[]) => {
  const res = await kubectl.run(["get", ...args, "-o", "json"]);
  return res.code === 0 ? JSON.parse(res.stdout) : null;
};
const conditionOf = (obj: { status?: { conditions?: Condition[] } } | null, type: string) =>
  obj?.status?.conditions?.find((c) => c.type === type);
const cli = async (...args: string[]) => {
  const res = await runCli([...args, "--json"], serveEnv(serve.home(), { TOLLGATE_URL: server.url }));
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
};

const exposeUpstream = (port: number) => {
  const file = join(serve.home(), "echo.yaml");
  writeFileSync(file, echoServiceManifest(port));
  return kubectl.run(["apply", "-f", file]);
};

const startTollgate = () =>
  serve.start({ TOLLGATE_DEVNET: "on", TOLLGATE_DRIVER: "kubernetes", KUBECONFIG: kubeconfig });

beforeAll(async () => {
  kubeconfig = join(serve.home(), "kubeconfig");
  api = await startKubeTestServer({ kubeconfig });
  kubectl = createKubectl(kubeconfig);
  upstream = await startHoldingUpstream();
  expect((await exposeUpstream(Number(new URL(upstream.url).port))).code).toBe(0);
  server = await startTollgate();
});

afterAll(async () => {
  await upstream?.close();
  await api?.stop();
});

describe("kubernetes driver acceptance (issue 11)", () => {
  it("1: installs the CRD; offers create → ServiceOffer Ready, HTTPRoute tg-web, paid request reaches the upstream behind the EndpointSlice", async () => {
    expect(await getJson("crd", "serviceoffers.obol.org")).not.toBeNull();
    const created = await cli("offers", "create", "web", "--upstream", "k8s://default/echo:8080", "--price", "0.01");
    expect(created.code).toBe(0);
    const started = Date.now();
    const so = await waitFor(
      "ServiceOffer web Ready",
      () => getJson("serviceoffer", "web"),
      (o) => conditionOf(o, "Ready")?.status === "True",
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(so.metadata.labels["app.kubernetes.io/managed-by"]).toBe("tollgate");
    const route = await waitFor(
      "HTTPRoute tg-web",
      () => getJson("httproute", "tg-web"),
      (r) => r !== null,
      10_000,
    );
    expect(route.spec.rules[0].matches[0].path).toEqual({ type: "PathPrefix", value: "/services/web" });
    expect(route.metadata.ownerReferences[0]).toMatchObject({
      kind: "ServiceOffer",
      name: "web",
      uid: so.metadata.uid,
    });
    const devnet = (await adminClient(serve.home(), server.url).devnet.info.query()) as DevnetView;
    const buyer = createBuyer(devnet);
    const paid = await buyer.payFetch(`${server.url}/services/web/hello`);
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ ok: true, path: "/hello" });
  });

  it("2: kubectl apply of the reference shape is adopted; an invalid price gets Accepted=False and changes nothing", async () => {
    const file = join(serve.home(), "so.yaml");
    const manifest = (price: string) => `apiVersion: obol.org/v1alpha1
kind: ServiceOffer
metadata: {name: kubeapi, namespace: default}
spec:
  type: http
  upstream: {service: echo, namespace: default, port: 8080}
  payment: {network: local, price: {perRequest: "${price}"}}
`;
    writeFileSync(file, manifest("0.02"));
    expect((await kubectl.run(["apply", "-f", file])).code).toBe(0);
    const listed = await waitFor(
      "offer in the ledger",
      () => cli("offers", "list"),
      (r) => r.json?.some((o: { name: string }) => o.name === "kubeapi"),
      10_000,
    );
    expect(listed.json.find((o: { name: string }) => o.name === "kubeapi").payment.price).toBe("0.02");
    await waitFor(
      "402",
      () => fetch(`${server.url}/services/kubeapi/x`).then((r) => r.status),
      (s) => s === 402,
      10_000,
    );
    const labelled = await waitFor(
      "managed-by label",
      () => getJson("serviceoffer", "kubeapi"),
      (o) => o?.metadata.labels?.["app.kubernetes.io/managed-by"] === "tollgate",
      10_000,
    );
    expect(labelled.metadata.finalizers).toContain("tollgate.dev/ledger");
    writeFileSync(file, manifest("-1"));
    expect((await kubectl.run(["apply", "-f", file])).code).toBe(0);
    const refused = await waitFor(
      "Accepted=False",
      () => getJson("serviceoffer", "kubeapi"),
      (o) => conditionOf(o, "Accepted")?.status === "False",
      10_000,
    );
    expect(conditionOf(refused, "Accepted")).toMatchObject({ reason: "ValidationFailed" });
    expect(conditionOf(refused, "Accepted")?.message).toMatch(/price/);
    const shown = await cli("offers", "show", "kubeapi");
    expect(shown.json.payment.price).toBe("0.02");
  });

  it("3: a deleted HTTPRoute comes back; kubectl delete serviceoffer tombstones the offer, 404s, and drops the finalizer", async () => {
    expect((await kubectl.run(["delete", "httproute", "tg-web"])).code).toBe(0);
    await waitFor(
      "route recreated",
      () => getJson("httproute", "tg-web"),
      (r) => r !== null,
      15_000,
    );
    const del = await kubectl.run(["delete", "serviceoffer", "web", "--timeout=20s"]);
    expect(del.code).toBe(0);
    expect(await getJson("serviceoffer", "web")).toBeNull();
    const all = await cli("offers", "list", "--all");
    expect(all.json.find((o: { name: string }) => o.name === "web")?.state).toBe("deleted");
    await waitFor(
      "404",
      () => fetch(`${server.url}/services/web/x`).then((r) => r.status),
      (s) => s === 404,
      10_000,
    );
  });

  it("4: restarting Tollgate creates, resurrects or deletes nothing (same ServiceOffers, same uids, same ledger)", async () => {
    const names = (list: { items: { metadata: { name: string; uid: string } }[] }) =>
      list.items.map((o) => `${o.metadata.name}/${o.metadata.uid}`).sort();
    const before = names(await getJson("serviceoffers"));
    const ledgerBefore = (await cli("offers", "list", "--all")).json
      .map((o: { name: string; state: string }) => `${o.name}:${o.state}`)
      .sort();
    server.child.kill("SIGTERM");
    // A clean stop: the informers' watches end with the server (a leftover watch kept it up for 25 s).
    expect(await server.exited).toBe(0);
    server = await startTollgate();
    // One resync after the start (the projection resyncs every 10 s; the reconciler wakes it sooner).
    await new Promise((r) => setTimeout(r, 12_000));
    expect(names(await getJson("serviceoffers"))).toEqual(before);
    expect(before.some((n) => n.startsWith("web/"))).toBe(false);
    const ledgerAfter = (await cli("offers", "list", "--all")).json
      .map((o: { name: string; state: string }) => `${o.name}:${o.state}`)
      .sort();
    expect(ledgerAfter).toEqual(ledgerBefore);
    expect((await fetch(`${server.url}/services/kubeapi/x`)).status).toBe(402);
  });

  it("5: with the API server stopped, paid routes keep answering and cluster status says ClusterReachable=False; it converges when back", async () => {
    const port = api.server.port;
    await api.server.close();
    const status = await waitFor(
      "unreachable",
      () => cli("cluster", "status"),
      (r) => r.json?.conditions?.some((c: Condition) => c.type === "ClusterReachable" && c.status === "False"),
      30_000,
    );
    expect(status.code).toBe(1);
    expect((await fetch(`${server.url}/services/kubeapi/x`)).status).toBe(402);
    // Back with its state lost (a cluster rebuild, acceptance 4): everything is projected again.
    api = await startKubeTestServer({ kubeconfig, port, token: api.token });
    expect((await exposeUpstream(Number(new URL(upstream.url).port))).code).toBe(0);
    await waitFor(
      "reprojected",
      () => getJson("serviceoffer", "kubeapi"),
      (o) => conditionOf(o, "Ready")?.status === "True",
      40_000,
    ).catch((err) => {
      writeFileSync("/tmp/kube-accept.log", server.output());
      throw err;
    });
    const back = await cli("cluster", "status");
    expect(back.code).toBe(0);
    expect(back.json.conditions.find((c: Condition) => c.type === "ClusterReachable").status).toBe("True");
    const offers = await cli("offers", "list", "--all");
    const mine = offers.json.filter((o: { name: string }) => ["kubeapi", "web"].includes(o.name));
    expect(mine.map((o: { name: string; state: string }) => `${o.name}:${o.state}`).sort()).toEqual([
      "kubeapi:active",
      "web:deleted",
    ]);
  });
});
