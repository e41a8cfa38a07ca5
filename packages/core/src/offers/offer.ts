/** Offer kinds. `agent` exists in the ledger but is refused on create until agents land. */
export const offerTypes = ["http", "inference", "agent"] as const;
export type OfferType = (typeof offerTypes)[number];

/** Price units (SPEC §5): per call, per million tokens, per hour of access. */
export const priceUnits = ["request", "mtok", "hour"] as const;
export type PriceUnit = (typeof priceUnits)[number];

export const offerStates = ["active", "stopped", "deleted"] as const;
export type OfferState = (typeof offerStates)[number];

/** ERC-8004 registration fields of an offer (the on-chain step comes in a later issue). */
export interface OfferRegistration {
  enabled: boolean;
  name?: string;
  description?: string;
  image?: string;
  skills: string[];
  domains: string[];
  metadata: Record<string, string>;
  services: { name: string; endpoint: string }[];
}

/** How an offer is paid: one chain, one asset, one payee, one price in one unit. */
export interface OfferPayment {
  /** Chain name as stored; a stored offer may name a chain this server no longer configures. */
  chain: string;
  /** Asset contract address as stored at create/update time. */
  asset: string;
  payTo: string;
  /** Decimal string in token units, e.g. "0.01". */
  price: string;
  unit: PriceUnit;
  maxTimeoutSeconds: number;
}

/**
 * An offer as the ledger holds it. Loading never re-validates it against today's rules: a row that a
 * newer rule would reject still loads (and serves with a warning).
 */
export interface Offer {
  id: string;
  name: string;
  type: OfferType;
  /** Absolute http(s) URL, or `demo://<name>` for the embedded demo upstreams (resolved at run time). */
  upstreamUrl: string;
  healthPath: string;
  path: string;
  model: string | null;
  agentId: string | null;
  description: string;
  listing: { category: string | null; weight: number };
  payment: OfferPayment;
  /** Largest request body a paid request may carry (413 above it); null or absent: the server's default. */
  maxBodyBytes?: number | null;
  registration: OfferRegistration;
  isDemo: boolean;
  state: OfferState;
  drainAt: Date | null;
  drainGraceSeconds: number | null;
  deletedAt: Date | null;
  generation: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Condition types of SPEC §4.2, in the order a reconcile writes them. */
export const conditionTypes = [
  "UpstreamHealthy",
  "ModelReady",
  "PaymentGateReady",
  "RoutePublished",
  "Registered",
  "Draining",
  "Ready",
] as const;
export type ConditionType = (typeof conditionTypes)[number];

export type ConditionStatus = "True" | "False" | "Unknown";

/** One observed condition of an offer; `reason` is a stable identifier. */
export interface OfferCondition {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime: Date;
  observedGeneration: number;
}

/** The end of an offer's drain, or null when it is not stopped with a drain. */
export function drainEndOf(offer: Pick<Offer, "state" | "drainAt" | "drainGraceSeconds">): Date | null {
  if (offer.state !== "stopped" || !offer.drainAt) return null;
  return new Date(offer.drainAt.getTime() + (offer.drainGraceSeconds ?? 0) * 1000);
}

/** True while a stopped offer is still inside its drain window (it keeps serving). */
export function isDraining(offer: Pick<Offer, "state" | "drainAt" | "drainGraceSeconds">, now: Date): boolean {
  const end = drainEndOf(offer);
  return end !== null && now.getTime() < end.getTime();
}

/** True when the offer should be served at `now`: active, or stopped but still draining. */
export function isServing(offer: Pick<Offer, "state" | "drainAt" | "drainGraceSeconds">, now: Date): boolean {
  return offer.state === "active" || isDraining(offer, now);
}
