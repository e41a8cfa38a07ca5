import type { IdentityRecord } from "../identity/identity.ts";
import type { OfferWithConditions } from "../offers/offer-repository.ts";
import type { StorefrontProfile } from "./storefront-profile.ts";

/** Everything the three discovery documents are rendered from: a snapshot of the ledger at `now`. */
export interface DiscoveryInput {
  offers: OfferWithConditions[];
  profile: StorefrontProfile;
  /** Without a trailing slash, e.g. `https://seller.example`. */
  publicBaseUrl: string;
  identities: IdentityRecord[];
  now: Date;
}

/** Paths of the public discovery documents and their schemas on the one origin. */
export const discoveryPaths = {
  catalog: "/api/services.json",
  skill: "/skill.md",
  registration: "/.well-known/agent-registration.json",
  catalogSchema: "/schemas/service-catalog.schema.json",
  registrationSchema: "/schemas/agent-registration-v1.schema.json",
} as const;
