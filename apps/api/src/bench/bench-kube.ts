// `pnpm bench:kube [--offers N]`: the kubernetes driver projecting N offers (default 1,000) into the
// test API server: seconds until every ServiceOffer shows Ready=True, and API requests per offer per
// resync once nothing changes (should be 0). Progress on stderr, the figures on stdout.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { buildListedOffer } from "@tollgate/core/testing/discovery-fixtures";
import { startKubeTestServer } from "@tollgate/kube-test-server";
import { createKubernetesDriver } from "../drivers/kubernetes/create-kubernetes-driver.ts";

const log = (message: string) => process.stderr.write(`[bench:kube] ${message}\n`);

const main = async () => {
  const { values } = parseArgs({ options: { offers: { type: "string", default: "1000" } } });
  const count = Number(values.offers);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--offers: expected a positive integer, got ${values.offers}`);
  const kubeconfig = join(mkdtempSync(join(tmpdir(), "bench-kube-")), "kubeconfig");
  const api = await startKubeTestServer({ kubeconfig, historyLimit: 50_000 });
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const driver = createKubernetesDriver({
    kubeConfig: kc,
    namespace: "default",
    service: { name: "tollgate", port: 8402 },
    inCluster: false,
    log: { info() {}, warn() {} },
  });
  const desired = Array.from({ length: count }, (_, i) =>
    buildListedOffer({
      id: `offer-${i}`,
      name: `offer-${i}`,
      path: `/services/offer-${i}`,
      upstreamUrl: "k8s://default/echo:8080",
    }),
  );
  const gateway = { namespace: "infra", name: "public" };
  await driver.start();
  const started = performance.now();
  // The first syncs wait for the informers' first lists, as they would after a start.
  while (driver.status().lastSyncAt === null) {
    await driver.sync(desired, { gateway });
    await new Promise((r) => setTimeout(r, 20));
  }
  const store = api.server.api;
  const soDef = store.registry.find("obol.org", "v1alpha1", "serviceoffers")!;
  const readyCount = () =>
    store
      .list(soDef, "default", () => true)
      .items.filter((o) =>
        (o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some(
          (c) => c.type === "Ready" && c.status === "True",
        ),
      ).length;
  while (readyCount() < count) {
    await driver.sync(desired, { gateway });
    await new Promise((r) => setTimeout(r, 20));
  }
  const readySeconds = (performance.now() - started) / 1000;
  const projectionRequests = driver.status().apiRequests;
  log(`all ${count} ServiceOffers Ready after ${readySeconds.toFixed(2)} s (${projectionRequests} API requests)`);
  // Let the informers catch up with the last writes, then measure resyncs that change nothing.
  await new Promise((r) => setTimeout(r, 1_000));
  await driver.sync(desired, { gateway });
  const serverBefore = [...api.server.requestCounts.values()].reduce((a, b) => a + b, 0);
  const before = driver.status().apiRequests;
  const resyncs = 5;
  const resyncStarted = performance.now();
  for (let i = 0; i < resyncs; i++) await driver.sync(desired, { gateway });
  const resyncMs = (performance.now() - resyncStarted) / resyncs;
  const steady = driver.status().apiRequests - before;
  const serverSteady = [...api.server.requestCounts.values()].reduce((a, b) => a + b, 0) - serverBefore;
  process.stdout.write(
    [
      `kube: ${count} offers projected (ServiceOffer + status + HTTPRoute) into the test API server: all Ready=True in ${readySeconds.toFixed(2)} s, ${(projectionRequests / count).toFixed(2)} API requests per offer`,
      `kube: steady state: ${(steady / count / resyncs).toFixed(3)} driver API requests per offer per resync (${steady} over ${resyncs} resyncs; ${serverSteady} requests seen by the API server), ${resyncMs.toFixed(1)} ms per resync`,
      "",
    ].join("\n"),
  );
  await driver.stop();
  await api.stop();
};

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
