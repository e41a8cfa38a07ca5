import { describe, expect, it } from "vitest";
import { buildDiscoveryInput, buildListedOffer, discoveryNow, drainingFor } from "../testing/discovery-fixtures.ts";
import { devnetUsdc, sellerAddress } from "../testing/fixtures.ts";
import { renderServiceCatalog } from "./render-service-catalog.ts";

describe("renderServiceCatalog", () => {
  it("lists a ready offer with every SPEC §8 field, absolute endpoint and atomic prices", () => {
    const doc = renderServiceCatalog(
      buildDiscoveryInput({ offers: [buildListedOffer({ name: "hello", payment: { price: "0.001" } })] }),
    );
    expect(doc).toMatchObject({
      schemaVersion: "1",
      displayName: "Tollgate",
      logoUrl: "https://seller.example/logo.svg",
    });
    expect(doc.services).toEqual([
      {
        name: "hello",
        type: "http",
        endpoint: "https://seller.example/services/hello",
        price: "0.001 USDC/request",
        priceRaw: "0.001",
        priceUnit: "request",
        priceAtomicUnits: "1000",
        amountPerRequest: "1000",
        payTo: sellerAddress,
        network: "local",
        caip2Network: "eip155:31337",
        chainId: 31337,
        asset: {
          address: devnetUsdc,
          symbol: "USDC",
          decimals: 6,
          transferMethod: "eip3009",
          eip712Domain: { name: "USDC", version: "2" },
        },
        description: "x402 payment-gated http service",
        isDemo: false,
        testnet: true,
      },
    ]);
  });

  it("leaves out offers that are not operationally ready, deleted, or drained; keeps registration-pending ones", () => {
    const doc = renderServiceCatalog(
      buildDiscoveryInput({
        offers: [
          buildListedOffer({ name: "down" }, { UpstreamHealthy: ["False", "Unreachable"] }),
          buildListedOffer({ name: "no-route" }, { RoutePublished: ["False", "PathConflict"] }),
          buildListedOffer({ name: "gone", state: "deleted", deletedAt: discoveryNow }),
          buildListedOffer({ name: "drained", ...drainingFor(-1) }),
          buildListedOffer(
            { name: "pending", registration: { enabled: true } },
            { Registered: ["False", "AwaitingRegistration"], Ready: ["False", "Reconciling"] },
          ),
          buildListedOffer(
            { name: "registered", registration: { enabled: true } },
            { Registered: ["True", "Registered"] },
          ),
        ],
      }),
    );
    expect(doc.services.map((s) => [s.name, s.registrationPending])).toEqual([
      ["pending", true],
      ["registered", undefined],
    ]);
  });

  it("shows drainEndsAt while draining; sorts by listing weight desc, then name", () => {
    const doc = renderServiceCatalog(
      buildDiscoveryInput({
        offers: [
          buildListedOffer({ name: "b" }),
          buildListedOffer({ name: "a" }),
          buildListedOffer({ name: "heavy", listing: { weight: 10 } }),
          buildListedOffer({ name: "leaving", ...drainingFor(300) }),
        ],
      }),
    );
    expect(doc.services.map((s) => s.name)).toEqual(["heavy", "a", "b", "leaving"]);
    const leaving = doc.services.find((s) => s.name === "leaving");
    expect(leaving?.drainEndsAt).toBe(new Date(discoveryNow.getTime() + 300_000).toISOString());
    expect(doc.services.find((s) => s.name === "a")?.drainEndsAt).toBeUndefined();
  });

  it("marks approximate units, demo offers, inference models and real chains", () => {
    const doc = renderServiceCatalog(
      buildDiscoveryInput({
        offers: [
          buildListedOffer({
            name: "llm",
            type: "inference",
            model: "llama3.2:1b",
            isDemo: true,
            payment: { price: "2", unit: "mtok", chain: "base", asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" },
            registration: { skills: ["chat"] },
          }),
        ],
      }),
    );
    expect(doc.services[0]).toMatchObject({
      name: "llm",
      model: "llama3.2:1b",
      price: "2 USDC/mtok",
      priceAtomicUnits: "2000000",
      amountPerRequest: "2000",
      priceApproximation: expect.stringContaining("approximate"),
      isDemo: true,
      testnet: false,
      network: "base",
      caip2Network: "eip155:8453",
      chainId: 8453,
      asset: { eip712Domain: { name: "USD Coin", version: "2" } },
      skills: ["chat"],
    });
  });

  it("uses the storefront profile and an absolute logo URL", () => {
    const doc = renderServiceCatalog(
      buildDiscoveryInput({
        profile: { displayName: "Acme", tagline: "APIs", logoUrl: "https://cdn.example/logo.png" },
      }),
    );
    expect(doc).toEqual({
      schemaVersion: "1",
      displayName: "Acme",
      tagline: "APIs",
      logoUrl: "https://cdn.example/logo.png",
      services: [],
    });
  });
});
