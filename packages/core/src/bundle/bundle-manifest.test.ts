import { describe, expect, it } from "vitest";
import { bundleManifestSchema, linkStaysInside, unsafeEntryNameReason } from "./bundle-manifest.ts";

describe("unsafeEntryNameReason", () => {
  it("accepts plain relative names", () => {
    expect(unsafeEntryNameReason("ledger/ledger.json")).toBeNull();
    expect(unsafeEntryNameReason("manifest.json")).toBeNull();
  });
  it("refuses absolute, parent and control-character names", () => {
    expect(unsafeEntryNameReason("/etc/passwd")).toContain("absolute");
    expect(unsafeEntryNameReason("ledger/../../x")).toContain("escaping");
    expect(unsafeEntryNameReason("..")).toContain("escaping");
    expect(unsafeEntryNameReason("a\\b")).toContain("backslashes");
  });
});

describe("linkStaysInside", () => {
  it("resolves relative targets against the entry's folder", () => {
    expect(linkStaysInside("ledger/link", "ledger.json")).toBe(true);
    expect(linkStaysInside("ledger/link", "../manifest.json")).toBe(true);
    expect(linkStaysInside("ledger/link", "../../etc/passwd")).toBe(false);
    expect(linkStaysInside("link", "/etc/passwd")).toBe(false);
  });
});

describe("bundleManifestSchema", () => {
  it("refuses other versions", () => {
    const base = { tollgateVersion: "0.1.0", createdAt: "2026-11-23T10:00:00Z", components: [] };
    expect(bundleManifestSchema.safeParse({ ...base, version: 1 }).success).toBe(true);
    expect(bundleManifestSchema.safeParse({ ...base, version: 2 }).success).toBe(false);
  });
});
