import { z } from "zod";
import { type ChainName, chainNames, explorerTxUrl, findChainByName } from "../chains/index.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { OfferView } from "../offers/offer-schemas.ts";
import { formatAgentRegistry, type IdentityRecord } from "./identity.ts";
import type { IdentityRepository } from "./identity-repository.ts";

/** What the identity service asks of the ERC-8004 registrar (the loop in the server). */
export interface IdentityRegistrar {
  /** Registers (or finishes, or re-checks) the seller's identity on a chain now, ignoring backoff. */
  registerNow(chain: ChainName): Promise<IdentityRecord | null>;
}

/** An identity as transports show it. */
export const identityViewSchema = z.object({
  chain: z.string(),
  chainId: z.number(),
  registry: z.string(),
  agentRegistry: z.string(),
  agentId: z.string().nullable(),
  owner: z.string().nullable(),
  agentUri: z.string().nullable(),
  lastTxHash: z.string().nullable(),
  state: z.enum(["pending", "registered", "off_chain_only", "failed"]),
  lastError: z.string().nullable(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  updatedAt: z.string(),
  explorerTxUrl: z.string().nullable(),
});
export type IdentityView = z.infer<typeof identityViewSchema>;

export const registerOfferInputSchema = z.object({
  name: z.string().min(1).max(63),
  chain: z.enum(chainNames).optional(),
});
export type RegisterOfferInput = z.infer<typeof registerOfferInputSchema>;

/** The view of an identity row. */
export function toIdentityView(identity: IdentityRecord): IdentityView {
  const chain = findChainByName(identity.chain);
  return {
    chain: identity.chain,
    chainId: identity.chainId,
    registry: identity.registry,
    agentRegistry: formatAgentRegistry(identity),
    agentId: identity.agentId,
    owner: identity.owner,
    agentUri: identity.agentUri,
    lastTxHash: identity.lastTxHash,
    state: identity.state,
    lastError: identity.lastError,
    attempts: identity.attempts,
    nextAttemptAt: identity.nextAttemptAt?.toISOString() ?? null,
    updatedAt: identity.updatedAt.toISOString(),
    explorerTxUrl: chain && identity.lastTxHash ? explorerTxUrl(chain, identity.lastTxHash) : null,
  };
}

/** The offers operations the identity service needs (the offer service plus a reconcile). */
interface OffersPort {
  show(input: { name: string }): Promise<OfferView>;
  update(options: { actor: string; input: { name: string; registration: { enabled: true } } }): Promise<OfferView>;
  probe(input: { name: string }): Promise<OfferView>;
}

/**
 * `offers register NAME [--chain C]` and the identity list: enables the offer's registration when it was
 * off, registers the seller on the chain now (ignoring backoff; an existing agent is reused, never
 * minted twice), reconciles, and returns the offer with its `Registered` condition and the identity.
 */
export function createIdentityService({
  identities,
  registrar,
  offers,
}: {
  identities: IdentityRepository;
  registrar: IdentityRegistrar;
  offers: OffersPort;
}) {
  return {
    async list(): Promise<IdentityView[]> {
      return (await identities.list()).map(toIdentityView);
    },
    async register({
      actor,
      input,
    }: {
      actor: string;
      input: RegisterOfferInput;
    }): Promise<{ offer: OfferView; identity: IdentityView | null }> {
      const parsed = registerOfferInputSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new TollgateError("VALIDATION_FAILED", issue?.message ?? "invalid input", {
          field: String(issue?.path[0] ?? "name"),
        });
      }
      const { name } = parsed.data;
      let offer = await offers.show({ name });
      if (offer.state === "deleted")
        throw new TollgateError("NOT_FOUND", `Offer "${name}" is deleted`, { field: "name" });
      if (!offer.registration.enabled)
        offer = await offers.update({ actor, input: { name, registration: { enabled: true } } });
      const chain = (parsed.data.chain ?? offer.payment.chain) as ChainName;
      const identity = await registrar.registerNow(chain);
      offer = await offers.probe({ name });
      return { offer, identity: identity ? toIdentityView(identity) : null };
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
