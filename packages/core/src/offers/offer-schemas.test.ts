import { describe, expect, it } from "vitest";
import {
  createOfferInputSchema,
  offerPathSchema,
  payToSchema,
  priceSchema,
  upstreamUrlSchema,
} from "./offer-schemas.ts";
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

  it("refuses the later-reserved paths for new offers (stored ones still publish)", () => {
    for (const p of [
      "/offers",
      "/offers/x",
      "/healthz",
      "/readyz",
      "/metrics",
      "/schemas/a",
      "/_next/x",
      "/agents",
      "/logo.svg",
      "/favicon.ico",
    ]) {
      expect(offerPathSchema.safeParse(p).success, p).toBe(false);
    }
    expect(findReservedPath("/offers/x")).toBeNull();
    expect(offerPathSchema.safeParse("/services/offers").success).toBe(true);
  });

  it("refuses link-local and metadata upstreams and userinfo, whatever the spelling; loopback and private stay", () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://0xA9FEA9FE/",
      "http://2852039166/",
      "http://169.254.0.1:8080",
      "http://[fe80::1]/",
      "http://[fd00:ec2::254]/",
      "http://[::ffff:169.254.169.254]/",
      "http://metadata.google.internal/computeMetadata/v1",
      "http://METADATA.GOOGLE.INTERNAL./",
      "http://user:secret@127.0.0.1:9000",
      "http://user@example.com",
    ]) {
      expect(upstreamUrlSchema.safeParse(url).success, url).toBe(false);
    }
    for (const url of [
      "http://127.0.0.1:9000",
      "http://10.0.0.5",
      "http://192.168.1.2:8080/v1",
      "http://[::1]:8080",
      "https://api.example.com",
    ]) {
      expect(upstreamUrlSchema.safeParse(url).success, url).toBe(true);
    }
  });

  it("refuses prices above 1,000,000 units of the asset, comparing the decimal text", () => {
    for (const price of ["1000000", "999999.999999", "0001000000.000"])
      expect(priceSchema.safeParse(price).success, price).toBe(true);
    for (const price of ["1000000.000001", "1000001", "99999999999999999999"]) {
      expect(priceSchema.safeParse(price).success, price).toBe(false);
    }
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
