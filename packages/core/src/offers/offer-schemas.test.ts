import { describe, expect, it } from "vitest";
import { createOfferInputSchema, offerPathSchema, payToSchema } from "./offer-schemas.ts";
import { formatDuration, parseDuration } from "./parse-duration.ts";
import { findReservedPath } from "./reserved-paths.ts";

describe("offer input rules", () => {
  it("refuses reserved paths and allows /services/<name>", () => {
    for (const p of ["/", "/services", "/api", "/api/x", "/trpc", "/admin/x", "/skill.md", "/openapi.json", "/metrics"])
      expect(findReservedPath(p), p).not.toBeNull();
    for (const p of ["/.well-known/x", "/_next/static"]) expect(findReservedPath(p)).not.toBeNull();
    expect(findReservedPath("/services/hello")).toBeNull();
    expect(findReservedPath("/apix")).toBeNull();
    expect(offerPathSchema.safeParse("/services/a/../b").success).toBe(false);
  });

  it("checksums payees and refuses a bad checksum or the zero address", () => {
    expect(payToSchema.parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")).toBe(
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    );
    expect(payToSchema.safeParse("0x70997970C51812dc3A010C7d01b50e0d17dc79c8").success).toBe(false);
    expect(payToSchema.safeParse(`0x${"0".repeat(40)}`).success).toBe(false);
  });

  it("defaults type, chain and unit", () => {
    const parsed = createOfferInputSchema.parse({ name: "a", upstream: "http://h/", payment: { price: "1" } });
    expect(parsed).toMatchObject({ type: "http", upstream: "http://h", payment: { chain: "local", unit: "request" } });
  });
});

describe("parseDuration", () => {
  it("reads 2s, 30s, 1h, 1h30m and bare seconds", () => {
    expect(parseDuration("2s")).toBe(2);
    expect(parseDuration("1h")).toBe(3600);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("45")).toBe(45);
    expect(() => parseDuration("soon")).toThrow(/not a duration/);
    expect(formatDuration(5400)).toBe("1h30m");
  });
});
