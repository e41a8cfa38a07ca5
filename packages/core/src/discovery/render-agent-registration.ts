import { formatAgentRegistry, type IdentityRecord } from "../identity/identity.ts";
import type { Offer } from "../offers/offer.ts";
import type { DiscoveryInput } from "./discovery-input.ts";
import { toPublicUrl } from "./public-base-url.ts";
import { type ListedOffer, selectListedOffers } from "./select-listed-offers.ts";

/** The ERC-8004 registration file type (registration-v1). */
export const registrationV1Type = "https://eips.ethereum.org/EIPS/eip-8004#registration-v1";

/** One entry of the registration document's `services[]`. */
export interface AgentRegistrationService {
  name: string;
  endpoint: string;
  version?: string;
  skills?: string[];
  domains?: string[];
  /** RFC 3339 end of a drain in progress. */
  drainEndsAt?: string;
}

/** `/.well-known/agent-registration.json`: the document every on-chain agentURI points at. */
export interface AgentRegistrationDocument {
  type: typeof registrationV1Type;
  name: string;
  description: string;
  image: string;
  services: AgentRegistrationService[];
  x402Support: boolean;
  active: boolean;
  registrations: { agentId: number; agentRegistry: string }[];
}

/** The `registrations[]` of the document: every minted identity, by chain id. */
export function toRegistrations(identities: IdentityRecord[]): AgentRegistrationDocument["registrations"] {
  return identities
    .filter((identity) => identity.state === "registered" && identity.agentId !== null)
    .sort((a, b) => a.chainId - b.chainId)
    .map((identity) => ({ agentId: Number(identity.agentId), agentRegistry: formatAgentRegistry(identity) }));
}

function defaultDescription(publishable: Offer[]): string {
  const [only] = publishable;
  if (publishable.length === 1 && only) {
    if (only.type === "inference" && only.model) return `${only.model} inference via x402 micropayments`;
    return `x402 payment-gated ${only.type} service: ${only.name}`;
  }
  return `x402 payment-gated services: ${publishable.map((o) => o.name).join(", ")}`;
}

/** The `services[]` entries one publishable offer contributes (`web`, OASF, declared services). */
export function toRegistrationServices(item: ListedOffer, publicBaseUrl: string): AgentRegistrationService[] {
  const { offer } = item;
  const endpoint = toPublicUrl(publicBaseUrl, offer.path);
  const drain = item.drainEndsAt ? { drainEndsAt: item.drainEndsAt } : {};
  const out: AgentRegistrationService[] = [{ name: "web", endpoint, ...drain }];
  const { skills, domains } = offer.registration;
  if (skills.length || domains.length) {
    out.push({
      name: "OASF",
      endpoint,
      version: "0.8",
      ...(skills.length ? { skills: [...skills] } : {}),
      ...(domains.length ? { domains: [...domains] } : {}),
      ...drain,
    });
  }
  for (const declared of offer.registration.services) out.push({ name: declared.name, endpoint: declared.endpoint });
  return out;
}

/** The offers the registration document lists: listed ones with registration enabled. */
export function selectPublishableOffers(input: Pick<DiscoveryInput, "offers" | "now">): ListedOffer[] {
  return selectListedOffers({ offers: input.offers, now: input.now }).filter((item) => item.offer.registration.enabled);
}

/** The registration document without its `services[]` (empty): the part that does not repeat per offer. */
export function renderRegistrationEnvelope(
  input: Pick<DiscoveryInput, "profile" | "publicBaseUrl" | "identities">,
  publishable: ListedOffer[],
): AgentRegistrationDocument {
  const image = toPublicUrl(input.publicBaseUrl, input.profile.logoUrl);
  const registrations = toRegistrations(input.identities);
  if (publishable.length === 0) {
    return {
      type: registrationV1Type,
      name: input.profile.displayName,
      description: `Agent ${input.profile.displayName} (deactivated)`,
      image,
      services: [],
      x402Support: false,
      active: false,
      registrations,
    };
  }
  let owner = publishable[0]?.offer as Offer;
  for (const { offer } of publishable) {
    const older = offer.createdAt.getTime() - owner.createdAt.getTime() || (offer.id < owner.id ? -1 : 1);
    if (older < 0) owner = offer;
  }
  return {
    type: registrationV1Type,
    name: owner.registration.name || input.profile.displayName,
    description: owner.registration.description || defaultDescription(publishable.map((item) => item.offer)),
    image: owner.registration.image ? toPublicUrl(input.publicBaseUrl, owner.registration.image) : image,
    services: [],
    x402Support: true,
    active: true,
    registrations,
  };
}

/**
 * Renders the ERC-8004 registration-v1 document (SPEC §8): one `web` service per publishable offer
 * (operationally ready, registration enabled), plus OASF and declared services; name, description and
 * image from the oldest such offer's registration fields, else the storefront profile. With no
 * publishable offer it is the tombstone (`active: false`, `services: []`); `registrations[]` always lists
 * the minted identities so the on-chain URI keeps resolving to a document that names them.
 */
export function renderAgentRegistration(input: DiscoveryInput): AgentRegistrationDocument {
  const publishable = selectPublishableOffers(input);
  return {
    ...renderRegistrationEnvelope(input, publishable),
    services: publishable.flatMap((item) => toRegistrationServices(item, input.publicBaseUrl)),
  };
}
