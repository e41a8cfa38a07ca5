import { describe, expect, it } from "vitest";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";

describe("label selectors", () => {
  const labels = { app: "web", tier: "front" };
  it.each([
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app in (web,api)", true],
    ["app notin (web)", false],
    ["app", true],
    ["!app", false],
    ["missing!=x", true],
    ["missing notin (x)", true],
    ["app=web,tier=back", false],
    ["", true],
  ])("%s → %s", (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });
  it("refuses unparseable requirements", () => {
    expect(() => parseLabelSelector("app in web")).toThrow(/unable to parse requirement/);
  });
});

describe("field selectors", () => {
  it("supports metadata.name and metadata.namespace only", () => {
    const match = parseFieldSelector("metadata.name=a,metadata.namespace!=kube-system");
    expect(match({ metadata: { name: "a", namespace: "default" } })).toBe(true);
    expect(match({ metadata: { name: "b", namespace: "default" } })).toBe(false);
    expect(() => parseFieldSelector("spec.x=1")).toThrow("field label not supported: spec.x");
  });
});
