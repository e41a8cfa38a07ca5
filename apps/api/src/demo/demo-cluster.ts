// `pnpm demo:cluster`: the kubernetes driver end to end on this machine. Starts the test API server, a
// local upstream exposed as Service `echo` with an EndpointSlice, and `tollgate serve` with
// TOLLGATE_DRIVER=kubernetes, then prints the commands to try. Runs until Ctrl-C.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startKubeTestServer } from "@tollgate/kube-test-server";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "tollgate.mjs");
const system = { dryRun: false, fieldManager: "demo-cluster", fieldValidation: "Strict", force: false } as const;

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-demo-cluster-"));
  const kubeconfig = join(dir, "kubeconfig");
  const api = await startKubeTestServer({ kubeconfig });
  const upstream = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ hello: "from the echo Service", path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const port = (upstream.address() as AddressInfo).port;
  const store = api.server.api;
  store.create(
    store.registry.find("", "v1", "services")!,
    "default",
    {
      metadata: { name: "echo" },
      spec: { ports: [{ name: "http", port: 8080, targetPort: port }] },
    },
    system,
  );
  store.create(
    store.registry.find("discovery.k8s.io", "v1", "endpointslices")!,
    "default",
    {
      metadata: { name: "echo-local", labels: { "kubernetes.io/service-name": "echo" } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["127.0.0.1"], conditions: { ready: true } }],
      ports: [{ name: "http", port }],
    },
    system,
  );
  const home = join(dir, "home");
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const tollgatePort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const url = `http://127.0.0.1:${tollgatePort}`;
  const child = spawn(process.execPath, [bin, "serve", "--port", String(tollgatePort)], {
    // biome-ignore lint/style/noProcessEnv: the demo passes the caller's environment on to the server it starts
    env: { ...process.env, TOLLGATE_HOME: home, TOLLGATE_DRIVER: "kubernetes", KUBECONFIG: kubeconfig },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error(`tollgate serve exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stdout.write(`
Tollgate (kubernetes driver) on ${url}, test API server on ${api.url}.
The upstream is Service default/echo:8080 behind an EndpointSlice. Try:

  export KUBECONFIG=${kubeconfig} TOLLGATE_HOME=${home} TOLLGATE_URL=${url}
  pnpm tollgate offers create web --upstream k8s://default/echo:8080 --price 0.01
  kubectl get crd serviceoffers.obol.org
  kubectl get serviceoffers
  kubectl get serviceoffer web -o jsonpath='{.status.conditions}'
  kubectl get httproute tg-web -o yaml
  curl -i ${url}/services/web/hello        # 402: pay to pass
  kubectl delete httproute tg-web && sleep 12 && kubectl get httproute tg-web   # drift repaired
  kubectl delete serviceoffer web && pnpm tollgate offers list --all           # a tombstone
  pnpm tollgate cluster status

Ctrl-C stops everything.
`);
  const stop = () => {
    child.kill("SIGTERM");
    child.once("exit", () => {
      upstream.close();
      void api.stop().finally(() => process.exit(0));
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
};

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
