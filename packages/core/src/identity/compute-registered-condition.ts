import type { Offer } from "../offers/offer.ts";
import { describeSignerPayee } from "./describe-signer-payee.ts";
import { formatAgentRegistry, type IdentityRecord } from "./identity.ts";

/** The `Registered` condition of one offer (SPEC §4.2), without bookkeeping fields. */
export interface RegisteredCondition {
  status: "True" | "False";
  reason: "Disabled" | "Registered" | "OffChainOnly" | "AwaitingRegistration" | "RegistrationFailed";
  message: string;
}

/**
 * The `Registered` condition of an offer from its chain's identity row: True/Disabled, True/Registered,
 * True/OffChainOnly (message says why), False/RegistrationFailed (retried with backoff) or
 * False/AwaitingRegistration (pending or not sent yet).
 */
export function computeRegisteredCondition({
  offer,
  identity,
}: {
  offer: Pick<Offer, "registration" | "payment">;
  identity: IdentityRecord | null | undefined;
}): RegisteredCondition {
  if (!offer.registration.enabled) return { status: "True", reason: "Disabled", message: "registration is disabled" };
  if (!identity) {
    return {
      status: "False",
      reason: "AwaitingRegistration",
      message: `not registered on ${offer.payment.chain} yet: registration starts once the offer is operationally ready (or run: tollgate offers register NAME)`,
    };
  }
  switch (identity.state) {
    case "registered": {
      const note = describeSignerPayee({ signer: identity.owner, payTo: offer.payment.payTo });
      const base = `agent ${identity.agentId} in ${formatAgentRegistry(identity)}`;
      return { status: "True", reason: "Registered", message: note ? `${base}; ${note}` : base };
    }
    case "off_chain_only":
      return {
        status: "True",
        reason: "OffChainOnly",
        message: `the registration document is published; the on-chain step is skipped: ${identity.lastError ?? "no signer"}`,
      };
    case "failed":
      return {
        status: "False",
        reason: "RegistrationFailed",
        message: `attempt ${identity.attempts} failed: ${identity.lastError ?? "unknown error"}${
          identity.nextAttemptAt ? `; next attempt at ${identity.nextAttemptAt.toISOString()}` : ""
        }`,
      };
    default:
      return {
        status: "False",
        reason: "AwaitingRegistration",
        message: identity.lastTxHash
          ? `transaction ${identity.lastTxHash} on ${identity.chain} is pending`
          : `registration on ${identity.chain} has not been sent yet`,
      };
  }
}
