import type { ConditionStatus, ConditionType, Offer, OfferCondition } from "./offer.ts";

/** An audit entry written in the same transaction as the change it describes. */
export interface OfferAuditEntry {
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** The fields a create writes; id, timestamps, generation and state are the repository's. */
export type NewOffer = Omit<
  Offer,
  "id" | "createdAt" | "updatedAt" | "generation" | "state" | "drainAt" | "drainGraceSeconds" | "deletedAt"
>;

/** The fields an update or lifecycle change writes (only those present change). */
export type OfferChanges = Partial<
  Omit<Offer, "id" | "name" | "createdAt" | "updatedAt" | "generation" | "isDemo" | "type">
> & { bumpGeneration?: boolean };

/** A condition as the reconciler computed it; the repository keeps `lastTransitionTime` unless status changes. */
export interface ConditionUpdate {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  observedGeneration: number;
}

export interface OfferWithConditions {
  offer: Offer;
  conditions: OfferCondition[];
}

/** Ledger access for offers; implemented in packages/db. Changes and their audit entry are atomic. */
export interface OfferRepository {
  /** Live (not deleted) offers, oldest first; with `includeDeleted`, tombstones too. */
  list(options?: { includeDeleted?: boolean }): Promise<OfferWithConditions[]>;
  /** The live offer with this name, or null. */
  findLive(name: string): Promise<OfferWithConditions | null>;
  /** The most recent tombstone with this name, or null. */
  findLatestDeleted(name: string): Promise<OfferWithConditions | null>;
  /** Creates an offer; CONFLICT (field `name`) when a live offer has the name. */
  create(data: NewOffer, audit: OfferAuditEntry): Promise<Offer>;
  /**
   * Applies changes when the stored generation still equals `expectedGeneration` (else CONFLICT: someone
   * changed it meanwhile); `state: "deleted"` also frees the name.
   */
  update(id: string, expectedGeneration: number, changes: OfferChanges, audit: OfferAuditEntry): Promise<Offer>;
  /** Writes conditions for an offer. */
  saveConditions(offerId: string, conditions: ConditionUpdate[], now: Date): Promise<void>;
}
