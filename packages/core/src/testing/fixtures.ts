// Test-data builders shared by core's unit tests (and usable by other packages' tests).
import type { PaymentRequirements } from "@x402/core/types";
import { getChainByName } from "../chains/find-chain.ts";
import { type ResolvedChain, resolveChain } from "../chains/resolve-chain.ts";
import type { Facilitator } from "../facilitator/facilitator.ts";
import type { Offer } from "../offers/offer.ts";
import type { ChainRuntime, ConfiguredChain } from "../runtime/chain-runtime.ts";

export const devnetUsdc = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const devnetRegistry = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
export const sellerAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

type OfferOverrides = Partial<Omit<Offer, "payment" | "listing" | "registration">> & {
  payment?: Partial<Offer["payment"]>;
  listing?: Partial<Offer["listing"]>;
  registration?: Partial<Offer["registration"]>;
};

/** An active `http` offer on the devnet at 0.01 USDC/request; override any field. */
export function buildOffer(overrides: OfferOverrides = {}): Offer {
  const name = overrides.name ?? "hello";
  const created = new Date("2026-01-01T00:00:00.000Z");
  const { payment, listing, registration, ...rest } = overrides;
  return {
    id: `offer-${name}`,
    name,
    type: "http",
    upstreamUrl: "http://127.0.0.1:9999",
    healthPath: "/health",
    path: `/services/${name}`,
    model: null,
    agentId: null,
    description: "",
    isDemo: false,
    state: "active",
    drainAt: null,
    drainGraceSeconds: null,
    deletedAt: null,
    generation: 1,
    createdAt: created,
    updatedAt: created,
    ...rest,
    listing: { category: null, weight: 0, ...listing },
    payment: {
      chain: "local",
      asset: devnetUsdc,
      payTo: sellerAddress,
      price: "0.01",
      unit: "request",
      maxTimeoutSeconds: 300,
      ...payment,
    },
    registration: { enabled: false, skills: [], domains: [], metadata: {}, services: [], ...registration },
  };
}

/** The devnet chain with deployed addresses filled in. */
export function buildResolvedChain(name: "local" | "base-sepolia" | "base" | "ethereum" = "local"): ResolvedChain {
  return resolveChain({
    chain: getChainByName(name),
    devnet: { usdc: devnetUsdc, identityRegistry: devnetRegistry },
  });
}

/** Devnet `exact` requirements for 0.01 USDC; override any field. */
export function buildPaymentRequirements(overrides: Partial<PaymentRequirements> = {}): PaymentRequirements {
  return {
    scheme: "exact",
    network: "eip155:31337",
    amount: "10000",
    asset: devnetUsdc,
    payTo: sellerAddress,
    maxTimeoutSeconds: 300,
    extra: { name: "USDC", version: "2" },
    ...overrides,
  };
}

/** A chain runtime that configures the given chains with a facilitator whose health is `healthy()`. */
export function buildChainRuntime(
  options: { chains?: ("local" | "base-sepolia" | "base" | "ethereum")[]; healthy?: () => boolean } = {},
): ChainRuntime {
  const names = options.chains ?? ["local"];
  const healthy = options.healthy ?? (() => true);
  const facilitator: Facilitator = {
    kind: "local",
    label: "fake",
    verify: async () => ({ isValid: false, invalidReason: "fake facilitator" }),
    settle: async () => ({ success: false, errorReason: "fake facilitator", transaction: "", network: "eip155:31337" }),
    getSupported: async () => ({ kinds: [], extensions: [], signers: {} }),
    checkHealth: async (network) =>
      healthy()
        ? { status: "ok", network, checkedAt: new Date().toISOString(), signers: [] }
        : {
            status: "unavailable",
            network,
            checkedAt: new Date().toISOString(),
            reason: "unreachable",
            message: "fake facilitator is down",
          },
  };
  const configured = (name: (typeof names)[number]): ConfiguredChain => ({
    chain: buildResolvedChain(name),
    setting: { name, rpcUrl: "http://127.0.0.1:8545", facilitator: "local", enabled: true },
    facilitator,
  });
  return {
    list: async () => names.map(configured),
    get: async (name) => (names.includes(name) ? configured(name) : null),
  };
}
