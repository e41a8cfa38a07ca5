import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { buildListedOffer } from "@tollgate/core/testing/discovery-fixtures";
import { type StartedKubeTestServer, startKubeTestServer } from "@tollgate/kube-test-server";
import { createKubectl } from "@tollgate/kube-test-server/testing/kubectl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ClusterChange,
  type ChangeVerdict,
  createKubernetesDriver,
  type DesiredOffer,
  type KubernetesDriver,
} from "./create-kubernetes-driver.ts";

const dir = mkdtempSync(join(tmpdir(), "kube-driver-"));
const kubeconfig = join(dir, "kubeconfig");
let api: StartedKubeTestServer;
let kubectl: ReturnType<typeof createKubectl>;
let driver: KubernetesDriver;
const changes: ClusterChange[] = [];
let verdict: ChangeVerdict = { accepted: true };
const silent = { info() {}, warn() {} };

const web = buildListedOffer({ name: "web", upstreamUrl: "k8s://default/echo:8080" });
let desired: DesiredOffer[] = [web];

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await driver.sync(desired, { gateway: { namespace: "infra", name: "public" } });
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const getJson = async (...args: string[]) => {
  const res = await kubectl.run(["get", ...args, "-o", "json"]);
  return res.code === 0 ? JSON.parse(res.stdout) : null;
};

beforeAll(async () => {
  api = await startKubeTestServer({ kubeconfig });
  kubectl = createKubectl(kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  driver = createKubernetesDriver({
    kubeConfig: kc,
    namespace: "default",
    service: { name: "tollgate", port: 8402 },
    inCluster: false,
    log: silent,
  });
  driver.onClusterChange(async (change) => {
    changes.push(change);
    return verdict;
  });
  await driver.start();
});

afterAll(async () => {
  await driver?.stop();
  await api?.stop();
});

describe("kubernetes driver against the test API server", () => {
  it("installs the CRD and projects an offer as a ServiceOffer with status and an owned HTTPRoute", async () => {
    expect(await getJson("crd", "serviceoffers.obol.org")).not.toBeNull();
    await until("ServiceOffer Ready", async () => {
      const so = await getJson("serviceoffer", "web");
      return so?.status?.conditions?.some(
        (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
      );
    });
    const so = await getJson("serviceoffer", "web");
    expect(so.metadata.labels["app.kubernetes.io/managed-by"]).toBe("tollgate");
    expect(so.metadata.finalizers).toEqual(["tollgate.dev/ledger"]);
    expect(so.spec.upstream).toEqual({ service: "echo", namespace: "default", port: 8080, healthPath: "/health" });
    expect(so.spec.payment.price).toEqual({ perRequest: "0.01" });
    const route = await getJson("httproute", "tg-web");
    expect(route.spec.rules[0].matches[0].path).toEqual({ type: "PathPrefix", value: "/services/web" });
    expect(route.spec.parentRefs[0]).toMatchObject({ name: "public", namespace: "infra" });
    expect(route.metadata.ownerReferences[0]).toMatchObject({
      kind: "ServiceOffer",
      name: "web",
      uid: so.metadata.uid,
    });
  });

  it("makes no API request at steady state", async () => {
    await driver.sync(desired, { gateway: { namespace: "infra", name: "public" } });
    const before = driver.status().apiRequests;
    for (let i = 0; i < 5; i++) await driver.sync(desired, { gateway: { namespace: "infra", name: "public" } });
    expect(driver.status().apiRequests).toBe(before);
  });

  it("recreates a deleted HTTPRoute and repairs a hand-edited one", async () => {
    expect((await kubectl.run(["delete", "httproute", "tg-web"])).code).toBe(0);
    await until("route back", async () => (await getJson("httproute", "tg-web")) !== null);
    await kubectl.run([
      "patch",
      "httproute",
      "tg-web",
      "--type",
      "merge",
      "-p",
      '{"spec":{"rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/stolen"}}]}]}}',
    ]);
    await until(
      "route repaired",
      async () => (await getJson("httproute", "tg-web"))?.spec.rules[0].matches[0].path.value === "/services/web",
    );
    expect(driver.status().driftRepairs).toBeGreaterThanOrEqual(2);
  });

  it("resolves k8s:// upstreams through the Service's EndpointSlices", async () => {
    const manifest = join(dir, "echo.yaml");
    writeFileSync(
      manifest,
      `apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {ports: [{name: http, port: 8080, targetPort: 18080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-1, labels: {kubernetes.io/service-name: echo}}
addressType: IPv4
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
ports: [{name: http, port: 18080}]
`,
    );
    expect((await kubectl.run(["apply", "-f", manifest])).code).toBe(0);
    await until("resolved", () => driver.resolveUpstream("k8s://default/echo:8080") === "http://127.0.0.1:18080");
    expect(driver.resolveUpstream("k8s://default/missing:80")).toBeNull();
    expect(driver.resolveUpstream("http://example.test")).toBe("http://example.test");
  });

  it("hands an unlabelled ServiceOffer to the ledger for adoption, and a refused edit gets Accepted=False", async () => {
    const manifest = join(dir, "so.yaml");
    writeFileSync(
      manifest,
      `apiVersion: obol.org/v1alpha1
kind: ServiceOffer
metadata: {name: adopted}
spec:
  type: http
  upstream: {service: echo, namespace: default, port: 8080}
  payment: {network: local, price: {perRequest: "0.02"}}
`,
    );
    expect((await kubectl.run(["apply", "-f", manifest])).code).toBe(0);
    await until("adopt", () => changes.some((c) => c.type === "adopt" && c.name === "adopted"));
    const adopt = changes.find((c) => c.type === "adopt")!;
    expect(adopt).toMatchObject({ spec: { payment: { price: { perRequest: "0.02" } } } });
    desired = [
      web,
      buildListedOffer({ name: "adopted", upstreamUrl: "k8s://default/echo:8080", payment: { price: "0.02" } }),
    ];
    await until(
      "labelled",
      async () =>
        (await getJson("serviceoffer", "adopted"))?.metadata.labels?.["app.kubernetes.io/managed-by"] === "tollgate",
    );
    verdict = { accepted: false, reason: "InvalidPrice", message: "payment.price: must be greater than zero" };
    await kubectl.run([
      "patch",
      "serviceoffer",
      "adopted",
      "--type",
      "merge",
      "-p",
      '{"spec":{"payment":{"price":{"perRequest":"0"}}}}',
    ]);
    await until("refused", async () => {
      const so = await getJson("serviceoffer", "adopted");
      const accepted = so?.status?.conditions?.find((c: { type: string }) => c.type === "Accepted");
      return accepted?.status === "False" && accepted.reason === "InvalidPrice";
    });
    verdict = { accepted: true };
    await until(
      "spec back to the ledger's",
      async () => (await getJson("serviceoffer", "adopted"))?.spec.payment.price.perRequest === "0.02",
    );
  });

  it("kubectl delete serviceoffer goes through the ledger, then the finalizer goes and the route is collected", async () => {
    const del = kubectl.run(["delete", "serviceoffer", "web", "--wait=false"]);
    expect((await del).code).toBe(0);
    await until("delete handed over", () => changes.some((c) => c.type === "delete" && c.name === "web"));
    desired = desired.filter((d) => d.offer.name !== "web");
    await until("gone", async () => (await getJson("serviceoffer", "web")) === null);
    await until("route collected", async () => (await getJson("httproute", "tg-web")) === null);
  });

  it("removes ServiceOffers the ledger no longer has", async () => {
    desired = [];
    await until("adopted removed", async () => (await getJson("serviceoffer", "adopted")) === null);
  });
});
