// Acceptance 6 (deploy half): the kustomize base renders and the test API server accepts it with a
// server-side dry run; the CRD file in the base is the one the driver installs.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type StartedKubeTestServer, startKubeTestServer } from "@tollgate/kube-test-server";
import { createKubectl } from "@tollgate/kube-test-server/testing/kubectl";
import yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceOfferCrd } from "./service-offer-crd.ts";

const base = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "..", "deploy", "kubernetes");
let api: StartedKubeTestServer;
let kubectl: ReturnType<typeof createKubectl>;

beforeAll(async () => {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), "kube-deploy-")), "kubeconfig");
  api = await startKubeTestServer({ kubeconfig });
  kubectl = createKubectl(kubeconfig);
});

afterAll(async () => {
  await api?.stop();
});

type Doc = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };

describe("deploy/kubernetes", () => {
  it("renders 2 replicas on an external Postgres Secret, non-root with a read-only root filesystem, probes, PDB and RBAC", async () => {
    const rendered = await kubectl.run(["kustomize", base]);
    expect(rendered.code).toBe(0);
    const docs = yaml.loadAll(rendered.stdout) as Doc[];
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
    const deployment = byKind("Deployment")[0] as unknown as {
      metadata: { namespace: string };
      spec: {
        replicas: number;
        template: { spec: { securityContext: Record<string, unknown>; containers: Record<string, any>[] } };
      };
    };
    expect(deployment.metadata.namespace).toBe("tollgate");
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const container = pod.containers[0]!;
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]),
    );
    expect(env.DATABASE_URL).toEqual({ secretKeyRef: { name: "tollgate-database", key: "url" } });
    expect(env.TOLLGATE_DRIVER).toBe("kubernetes");
    // One master key for every replica, from a Secret mounted read-only where TOLLGATE_MASTER_KEY_FILE points.
    expect(env.TOLLGATE_MASTER_KEY_FILE).toBe("/etc/tollgate/master-key/key");
    const keyMount = container.volumeMounts.find((m: { name: string }) => m.name === "master-key");
    expect(keyMount).toMatchObject({ mountPath: "/etc/tollgate/master-key", readOnly: true });
    expect((pod as { volumes?: { name: string }[] }).volumes).toContainEqual({
      name: "master-key",
      secret: { secretName: "tollgate-master-key", defaultMode: 0o440 },
    });
    expect(byKind("PodDisruptionBudget")).toHaveLength(1);
    expect(byKind("ClusterRoleBinding")[0]).toMatchObject({ subjects: [{ name: "tollgate", namespace: "tollgate" }] });
    const crd = byKind("CustomResourceDefinition")[0] as unknown as { spec: unknown };
    expect(crd.spec).toEqual(serviceOfferCrd.spec);
    expect(JSON.parse(readFileSync(join(base, "serviceoffer-crd.json"), "utf8"))).toEqual(serviceOfferCrd);
  });

  it("kubectl kustomize | kubectl apply --dry-run=server -f - succeeds and creates nothing", async () => {
    expect((await kubectl.run(["create", "namespace", "tollgate"])).code).toBe(0);
    const rendered = await kubectl.run(["kustomize", base]);
    const applied = await kubectl.run(["apply", "--dry-run=server", "-f", "-"], rendered.stdout);
    expect(applied.code).toBe(0);
    for (const line of [
      "customresourcedefinition.apiextensions.k8s.io/serviceoffers.obol.org created (server dry run)",
      "deployment.apps/tollgate created (server dry run)",
      "poddisruptionbudget.policy/tollgate created (server dry run)",
      "clusterrole.rbac.authorization.k8s.io/tollgate created (server dry run)",
      "service/tollgate created (server dry run)",
    ]) {
      expect(applied.stdout).toContain(line);
    }
    expect((await kubectl.run(["get", "deployment", "tollgate", "-n", "tollgate"])).stderr).toContain(
      'deployments.apps "tollgate" not found',
    );
  });

  it("the dry run is a real validation: a Deployment whose selector misses its template is refused", async () => {
    const rendered = await kubectl.run(["kustomize", base]);
    const broken = rendered.stdout.replace(
      "app.kubernetes.io/component: server\n    spec:",
      "app.kubernetes.io/component: other\n    spec:",
    );
    expect(broken).not.toBe(rendered.stdout);
    const applied = await kubectl.run(["apply", "--dry-run=server", "-f", "-"], broken);
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain("`selector` does not match template `labels`");
  });
});
