import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StartedKubeTestServer, startKubeTestServer } from "./index.ts";
import { createKubectl } from "./testing/kubectl.ts";
import { createRawClient } from "./testing/raw-client.ts";

const dir = mkdtempSync(join(tmpdir(), "kube-fidelity-"));
let started: StartedKubeTestServer;
let kubectl: ReturnType<typeof createKubectl>;
let raw: ReturnType<typeof createRawClient>;

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns: [{name: Size, type: integer, jsonPath: .spec.size}]
    schema:
      openAPIV3Schema:
        type: object
        description: A widget made for tests.
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 0, maximum: 10, description: How big the widget is.}
              color: {type: string, default: blue}
          status:
            type: object
            properties:
              phase: {type: string}
`;

beforeAll(async () => {
  started = await startKubeTestServer({ kubeconfig: join(dir, "kubeconfig") });
  kubectl = createKubectl(join(dir, "kubeconfig"));
  raw = createRawClient({ url: started.url, token: started.token, ca: started.server.caData });
});

afterAll(async () => {
  await started?.stop();
});

describe("kubectl against the test API server", () => {
  it("lists core, CRD and preinstalled Gateway API resources with api-resources", async () => {
    const res = await kubectl.run(["api-resources"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
    expect(res.stdout).toMatch(/^httproutes\s+gateway\.networking\.k8s\.io\/v1\s+true\s+HTTPRoute$/m);
    expect(res.stdout).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
    expect(res.stdout).toMatch(/^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m);
  });

  it("refuses requests without the bearer token (401 Status)", async () => {
    const anonymous = createRawClient({ url: started.url, token: undefined, ca: started.server.caData });
    const res = await anonymous.json("GET", "/api/v1/namespaces");
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
  });

  it("apply -f creates, get -o json returns server fields, a re-apply of the same file changes nothing", async () => {
    const manifest = file(
      "cm.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels: {app: demo}\ndata:\n  key: one\n",
    );
    const created = await kubectl.run(["apply", "-f", manifest]);
    expect(created.stdout.trim()).toBe("configmap/demo created");
    const got = JSON.parse((await kubectl.run(["get", "configmap", "demo", "-o", "json"])).stdout);
    expect(got.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(got.data).toEqual({ key: "one" });
    const again = await kubectl.run(["apply", "-f", manifest]);
    expect(again.stdout.trim()).toBe("configmap/demo unchanged");
    const after = JSON.parse((await kubectl.run(["get", "configmap", "demo", "-o", "json"])).stdout);
    expect(after.metadata.resourceVersion).toBe(got.metadata.resourceVersion);
  });

  it("get -w prints the change made by another client, then patch --type merge is visible", async () => {
    const watch = kubectl.start(["get", "configmaps", "-w", "-o", 'jsonpath={.metadata.name}={.data.key}{"\\n"}']);
    try {
      await watch.waitFor("demo=one", 20_000);
      const patched = await kubectl.run([
        "patch",
        "configmap",
        "demo",
        "--type",
        "merge",
        "-p",
        '{"data":{"key":"two"}}',
      ]);
      expect(patched.stdout.trim()).toBe("configmap/demo patched");
      await watch.waitFor("demo=two", 20_000);
    } finally {
      watch.child.kill("SIGTERM");
    }
  });

  it("a write with a stale resourceVersion answers 409 Conflict", async () => {
    const res = await kubectl.run(["label", "configmap", "demo", "tier=web", "--resource-version=1"]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      'Operation cannot be fulfilled on configmaps "demo": the object has been modified; please apply your changes to the latest version and try again',
    );
    const direct = await raw.json("PUT", "/api/v1/namespaces/default/configmaps/demo", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "demo", resourceVersion: "1" },
      data: {},
    });
    expect(direct.status).toBe(409);
    expect(direct.body).toMatchObject({
      kind: "Status",
      reason: "Conflict",
      code: 409,
      details: { name: "demo", kind: "configmaps" },
    });
  });

  it("apply --server-side records the field manager, conflicts without --force-conflicts and takes over with it", async () => {
    const manifest = file(
      "ssa.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  owner: first\n",
    );
    const first = await kubectl.run(["apply", "--server-side", "--field-manager", "first", "-f", manifest]);
    expect(first.stdout.trim()).toBe("configmap/shared serverside-applied");
    const other = file(
      "ssa2.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  owner: second\n",
    );
    const refused = await kubectl.run(["apply", "--server-side", "--field-manager", "second", "-f", other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "first" using v1: .data.owner');
    const forced = await kubectl.run([
      "apply",
      "--server-side",
      "--field-manager",
      "second",
      "--force-conflicts",
      "-f",
      other,
    ]);
    expect(forced.code).toBe(0);
    const got = JSON.parse((await kubectl.run(["get", "cm", "shared", "-o", "json", "--show-managed-fields"])).stdout);
    expect(got.data).toEqual({ owner: "second" });
    const managers = got.metadata.managedFields.map(
      (m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`,
    );
    expect(managers).toEqual(["second/Apply"]);
  });

  it("delete removes the object and a later get answers the documented NotFound Status", async () => {
    const res = await kubectl.run(["delete", "configmap", "shared"]);
    expect(res.stdout.trim()).toBe('configmap "shared" deleted');
    const gone = await raw.json("GET", "/api/v1/namespaces/default/configmaps/shared");
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'configmaps "shared" not found',
      reason: "NotFound",
      details: { name: "shared", kind: "configmaps" },
      code: 404,
    });
  });

  it("custom resources are validated against the CRD schema, defaulted, and explained", async () => {
    expect((await kubectl.run(["apply", "-f", file("crd.yaml", WIDGET_CRD)])).code).toBe(0);
    const ok = await kubectl.run([
      "apply",
      "-f",
      file("w1.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n"),
    ]);
    expect(ok.stdout.trim()).toBe("widget.example.com/w1 created");
    const got = JSON.parse((await kubectl.run(["get", "wd", "w1", "-o", "json"])).stdout);
    expect(got.spec).toEqual({ size: 3, color: "blue" });
    expect(got.metadata.generation).toBe(1);
    const bad = await kubectl.run(["patch", "widget", "w1", "--type", "merge", "-p", '{"spec":{"size":15}}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'Widget "w1" is invalid: spec.size: Invalid value: 15: spec.size in body should be less than or equal to 10',
    );
    const unknown = await kubectl.run([
      "apply",
      "-f",
      file(
        "w2.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {size: 1, shape: round}\n",
      ),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown field "spec.shape"');
    const table = await kubectl.run(["get", "widgets"]);
    expect(table.stdout).toMatch(/^NAME\s+SIZE\s+AGE\nw1\s+3\s+\d+s$/m);
    const explain = await kubectl.run(["explain", "widget.spec"]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("How big the widget is.");
  });

  it("the status subresource ignores spec, main writes ignore status, generation moves only with spec", async () => {
    const status = await raw.json(
      "PATCH",
      "/apis/example.com/v1/namespaces/default/widgets/w1/status",
      { status: { phase: "Ready" }, spec: { size: 9 } },
      { "Content-Type": "application/merge-patch+json" },
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ spec: { size: 3 }, status: { phase: "Ready" }, metadata: { generation: 1 } });
    const main = await raw.json(
      "PATCH",
      "/apis/example.com/v1/namespaces/default/widgets/w1",
      { status: { phase: "Lost" }, spec: { size: 4 } },
      { "Content-Type": "application/merge-patch+json" },
    );
    expect(main.body).toMatchObject({ spec: { size: 4 }, status: { phase: "Ready" }, metadata: { generation: 2 } });
    const strategic = await raw.json(
      "PATCH",
      "/apis/example.com/v1/namespaces/default/widgets/w1",
      { spec: { size: 4 } },
      { "Content-Type": "application/strategic-merge-patch+json" },
    );
    expect(strategic.status).toBe(415);
  });

  it("finalizers hold a deleted object with deletionTimestamp until the last one is removed", async () => {
    await kubectl.run([
      "patch",
      "widget",
      "w1",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    const del = await kubectl.run(["delete", "widget", "w1", "--wait=false"]);
    expect(del.code).toBe(0);
    const held = JSON.parse((await kubectl.run(["get", "widget", "w1", "-o", "json"])).stdout);
    expect(held.metadata.deletionTimestamp).toMatch(/Z$/);
    const add = await kubectl.run([
      "patch",
      "widget",
      "w1",
      "--type",
      "merge",
      "-p",
      '{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}',
    ]);
    expect(add.stderr).toContain("no new finalizers can be added if the object is being deleted");
    await kubectl.run([
      "patch",
      "widget",
      "w1",
      "--type",
      "json",
      "-p",
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    const after = await kubectl.run(["get", "widget", "w1"]);
    expect(after.stderr).toContain('widgets.example.com "w1" not found');
  });

  it("a watch from a compacted resourceVersion gets an ERROR event with 410 Expired", async () => {
    const list = await raw.json("GET", "/api/v1/namespaces/default/configmaps");
    const old = Number((list.body.metadata as { resourceVersion: string }).resourceVersion);
    const created = await kubectl.run(["create", "configmap", "later", "--from-literal=a=b"]);
    expect(created.stdout.trim()).toBe("configmap/later created");
    started.server.api.store.compact();
    const res = await raw.send(
      "GET",
      `/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5&resourceVersion=${old}`,
    );
    expect(res.status).toBe(200);
    const event = JSON.parse(res.body.trim());
    expect(event).toMatchObject({ type: "ERROR", object: { kind: "Status", reason: "Expired", code: 410 } });
    expect(event.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("label selectors filter lists the way the API server documents", async () => {
    await kubectl.run(["label", "configmap", "later", "tier=web"]);
    const sel = async (s: string) =>
      (await kubectl.run(["get", "cm", "-l", s, "-o", "name"])).stdout.trim().split("\n").filter(Boolean).sort();
    expect(await sel("tier=web")).toEqual(["configmap/later"]);
    expect(await sel("app in (demo,other)")).toEqual(["configmap/demo"]);
    expect(await sel("tier!=web")).toEqual(["configmap/demo"]);
    expect(await sel("!tier")).toEqual(["configmap/demo"]);
  });
});
