import { describe, expect, it } from "vitest";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch.ts";

describe("patches", () => {
  it("merge patch replaces lists and deletes with null", () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3 },
      l: [3],
    });
  });
  it("json patch applies operations in order and fails a test op", () => {
    expect(
      applyJsonPatch({ a: [1] }, [
        { op: "add", path: "/a/-", value: 2 },
        { op: "replace", path: "/a/0", value: 0 },
      ]),
    ).toEqual({ a: [0, 2] });
    expect(() => applyJsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }])).toThrow(/testing value failed/);
    expect(() => applyJsonPatch({}, [{ op: "remove", path: "/missing" }])).toThrow(/missing/);
  });
  it("strategic merge patch merges containers by name and honours $patch: delete", () => {
    const live = {
      spec: {
        containers: [
          { name: "a", image: "x" },
          { name: "b", image: "y" },
        ],
      },
    };
    const out = applyStrategicMergePatch(live, {
      $setElementOrder: undefined,
      spec: {
        containers: [
          { name: "a", image: "z" },
          { name: "b", $patch: "delete" },
        ],
      },
    });
    expect(out).toEqual({ spec: { containers: [{ name: "a", image: "z" }] } });
  });
});
