// Test-data builders for the discovery renderers and the registration service.
import type { DiscoveryInput } from "../discovery/discovery-input.ts";
import { defaultStorefrontProfile } from "../discovery/storefront-profile.ts";
import type { IdentityRecord } from "../identity/identity.ts";
import { conditionTypes, type Offer, type OfferCondition } from "../offers/offer.ts";
import type { OfferWithConditions } from "../offers/offer-repository.ts";
import { buildOffer, devnetRegistry, sellerAddress } from "./fixtures.ts";

export const discoveryNow = new Date("2026-03-01T12:00:00.000Z");
export const publicBase = "https://seller.example";

/** Conditions of a fully ready offer; override by type, e.g. `{ Registered: ["False", "AwaitingRegistration"] }`. */
export function buildConditions(
  overrides: Partial<Record<OfferCondition["type"], [OfferCondition["status"], string]>> = {},
): OfferCondition[] {
  return conditionTypes.map((type) => {
    const [status, reason] = overrides[type] ?? [type === "Draining" ? "False" : "True", "Ready"];
    return { type, status, reason, message: "", lastTransitionTime: discoveryNow, observedGeneration: 1 };
  });
}

/** An offer with the conditions of a ready offer (or the overrides). */
export function buildListedOffer(
  overrides: Parameters<typeof buildOffer>[0] = {},
  conditions: Parameters<typeof buildConditions>[0] = {},
): OfferWithConditions {
  return { offer: buildOffer(overrides), conditions: buildConditions(conditions) };
}

/** A registered devnet identity (agent 0). */
export function buildIdentity(overrides: Partial<IdentityRecord> = {}): IdentityRecord {
  return {
    chain: "local",
    chainId: 31337,
    registry: devnetRegistry,
    agentId: "0",
    owner: sellerAddress,
    agentUri: `${publicBase}/.well-known/agent-registration.json`,
    lastTxHash: null,
    state: "registered",
    lastError: null,
    attempts: 0,
    nextAttemptAt: null,
    updatedAt: discoveryNow,
    ...overrides,
  };
}

/** A discovery snapshot over the given offers at `discoveryNow`. */
export function buildDiscoveryInput(overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return {
    offers: [],
    profile: defaultStorefrontProfile,
    publicBaseUrl: publicBase,
    identities: [],
    now: discoveryNow,
    ...overrides,
  };
}

/** A stopped offer draining until `discoveryNow + seconds`. */
export function drainingFor(seconds: number): Pick<Offer, "state" | "drainAt" | "drainGraceSeconds"> {
  return { state: "stopped", drainAt: new Date(discoveryNow.getTime() - 60_000), drainGraceSeconds: 60 + seconds };
}
