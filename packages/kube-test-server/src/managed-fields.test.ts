import { describe, expect, it } from "vitest";
import { recordUpdate, serverSideApply } from "./managed-fields.ts";
import type { KubeObject } from "./types.ts";

const apply = (live: KubeObject | undefined, applied: KubeObject, manager: string, force = false) =>
  serverSideApply({
    live,
    applied,
    manager,
    force,
    schema: undefined,
    apiVersion: "v1",
    subresource: undefined,
    hasStatus: false,
  });

const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c" },
  data,
});

describe("server-side apply", () => {
  it("records the applied fields for the manager", () => {
    const out = apply(undefined, cm({ a: "1" }), "alice");
    expect(out.data).toEqual({ a: "1" });
    expect(out.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: "alice", operation: "Apply", fieldsV1: { "f:data": { "f:a": {} } } }),
    ]);
  });

  it("refuses to change another manager's field without force, naming the field", () => {
    const live = apply(undefined, cm({ a: "1" }), "alice");
    expect(() => apply(live, cm({ a: "2" }), "bob")).toThrow(
      'Apply failed with 1 conflict: conflict with "alice" using v1: .data.a',
    );
    const forced = apply(live, cm({ a: "2" }), "bob", true);
    expect(forced.data).toEqual({ a: "2" });
    expect(forced.metadata.managedFields?.map((m) => m.manager)).toEqual(["bob"]);
  });

  it("shares ownership of equal values and removes fields a manager stops applying unless others own them", () => {
    const one = apply(undefined, cm({ a: "1", b: "2" }), "alice");
    const shared = apply(one, cm({ a: "1" }), "bob");
    expect(shared.metadata.managedFields?.map((m) => m.manager).sort()).toEqual(["alice", "bob"]);
    const dropped = apply(shared, cm({}), "alice");
    expect(dropped.data).toEqual({ a: "1" });
  });

  it("ordinary updates take fields over without conflict", () => {
    const live = apply(undefined, cm({ a: "1" }), "alice");
    const after = structuredClone(live);
    after.data = { a: "9" };
    recordUpdate({
      before: live,
      after,
      manager: "kubectl-edit",
      schema: undefined,
      apiVersion: "v1",
      subresource: undefined,
      hasStatus: false,
    });
    expect(after.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual(["kubectl-edit/Update"]);
    const reapplied = apply(after, cm({ a: "1" }), "alice", true);
    expect(reapplied.data).toEqual({ a: "1" });
  });

  it("merges keyed lists item by item (x-kubernetes-list-type: map)", () => {
    const schema = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            items: {
              type: "array",
              "x-kubernetes-list-type": "map" as const,
              "x-kubernetes-list-map-keys": ["name"],
              items: { type: "object", properties: { name: { type: "string" }, v: { type: "integer" } } },
            },
          },
        },
      },
    };
    const base = { apiVersion: "x/v1", kind: "X", metadata: { name: "x" } };
    const a = serverSideApply({
      live: undefined,
      applied: { ...base, spec: { items: [{ name: "p", v: 1 }] } },
      manager: "a",
      force: false,
      schema,
      apiVersion: "x/v1",
      subresource: undefined,
      hasStatus: false,
    });
    const b = serverSideApply({
      live: a,
      applied: { ...base, spec: { items: [{ name: "q", v: 2 }] } },
      manager: "b",
      force: false,
      schema,
      apiVersion: "x/v1",
      subresource: undefined,
      hasStatus: false,
    });
    expect(b.spec).toEqual({
      items: [
        { name: "p", v: 1 },
        { name: "q", v: 2 },
      ],
    });
  });
});
