import type { SupportedResponse } from "@x402/core/types";
import { describe, expect, it } from "vitest";
import { checkFacilitatorHealth, findExactSupport, findSigners } from "./facilitator-health.ts";

const now = () => new Date("2026-01-01T00:00:00.000Z");

function buildSupported(overrides: Partial<SupportedResponse> = {}): SupportedResponse {
  return {
    kinds: [
      { x402Version: 1, scheme: "exact", network: "eip155:84532" },
      { x402Version: 2, scheme: "exact", network: "eip155:84532" },
    ],
    extensions: [],
    signers: { "eip155:*": ["0x1111111111111111111111111111111111111111"] },
    ...overrides,
  };
}

describe("findExactSupport", () => {
  it("finds the v2 exact kind for the network", () => {
    expect(findExactSupport(buildSupported(), "eip155:84532")?.x402Version).toBe(2);
    expect(findExactSupport(buildSupported(), "eip155:8453")).toBeUndefined();
  });

  it("ignores other schemes on the network", () => {
    const supported = buildSupported({ kinds: [{ x402Version: 2, scheme: "upto", network: "eip155:84532" }] });
    expect(findExactSupport(supported, "eip155:84532")).toBeUndefined();
  });
});

describe("findSigners", () => {
  it("prefers the network's own entry and falls back to the family", () => {
    const supported = buildSupported({ signers: { "eip155:84532": ["0xa"], "eip155:*": ["0xb"] } });
    expect(findSigners(supported, "eip155:84532")).toEqual(["0xa"]);
    expect(findSigners(supported, "eip155:1")).toEqual(["0xb"]);
  });
});

describe("checkFacilitatorHealth", () => {
  it("is ok when exact is offered on the network", async () => {
    const health = await checkFacilitatorHealth({
      getSupported: async () => buildSupported(),
      network: "eip155:84532",
      now,
    });
    expect(health).toEqual({
      status: "ok",
      network: "eip155:84532",
      checkedAt: "2026-01-01T00:00:00.000Z",
      signers: ["0x1111111111111111111111111111111111111111"],
    });
  });

  it("says which network is missing", async () => {
    const health = await checkFacilitatorHealth({
      getSupported: async () => buildSupported(),
      network: "eip155:8453",
      now,
    });
    expect(health.status).toBe("unavailable");
    if (health.status !== "unavailable") return;
    expect(health.reason).toBe("unsupported_network");
    expect(health.message).toContain("eip155:8453");
    expect(health.message).toContain("exact@eip155:84532");
  });

  it("reports an unreachable facilitator without throwing", async () => {
    const health = await checkFacilitatorHealth({
      getSupported: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:9");
      },
      network: "eip155:84532",
      now,
    });
    expect(health).toMatchObject({
      status: "unavailable",
      reason: "unreachable",
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("times out a facilitator that never answers", async () => {
    const health = await checkFacilitatorHealth({
      getSupported: () => new Promise<SupportedResponse>(() => {}),
      network: "eip155:84532",
      timeoutMs: 20,
      now,
    });
    expect(health).toMatchObject({ status: "unavailable", reason: "timeout" });
  });
});
