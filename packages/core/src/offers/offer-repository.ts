import type { ConditionStatus, ConditionType, Offer, OfferCondition, OfferType } from "./offer.ts";

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

/** Which offers a search looks at: what the discovery surfaces list at `now`, or the admin's view by state. */
export type OfferSearchScope =
  | {
      kind: "listed";
      now: Date;
      /** Chains the listing can render (offers on other chains are never listed). */
      chains: readonly string[];
    }
  | { kind: "admin"; now: Date; state: OfferStateFilter };

/** The admin's state filter: `live` is everything not deleted; `draining` is stopped but inside its grace. */
export const offerStateFilters = ["live", "active", "draining", "stopped", "deleted", "all"] as const;
export type OfferStateFilter = (typeof offerStateFilters)[number];

/** One page of a search over offers; the ledger never loads more than the page. */
export interface OfferSearchQuery {
  scope: OfferSearchScope;
  /** Lower-cased words that must all occur in name, description, type, model or category. */
  words: readonly string[];
  type?: OfferType | undefined;
  category?: string | undefined;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** How many offers of the scope (words, type and category aside) have each type and category. */
export interface OfferSearchFacets {
  total: number;
  types: { type: OfferType; count: number }[];
  /** The most frequent categories first, at most 50. */
  categories: { category: string; count: number }[];
}

export interface OfferSearchPage {
  offers: OfferWithConditions[];
  /** Offers matching every filter (all pages). */
  total: number;
  facets: OfferSearchFacets;
}

/** What changes whenever an offer row changes: the reconciler's relist compares these, not whole rows. */
export interface OfferVersion {
  id: string;
  /** `updatedAt` in milliseconds: every change of the row moves it. */
  version: number;
}

/** One offer's conditions to write in a batch. */
export interface ConditionWrite {
  offerId: string;
  conditions: ConditionUpdate[];
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
  /**
   * One page of offers matching a search, with the total and the scope's facets. Listed offers come in
   * discovery order (listing weight desc, then name); the admin scope by name.
   */
  search(query: OfferSearchQuery): Promise<OfferSearchPage>;
  /** Writes conditions for an offer. */
  saveConditions(offerId: string, conditions: ConditionUpdate[], now: Date): Promise<void>;
  /** The offer with this id, tombstone or not, or null when the ledger has no such row. */
  find(id: string): Promise<OfferWithConditions | null>;
  /** The offers with these ids (tombstones included); ids with no row are left out. */
  findMany(ids: string[]): Promise<OfferWithConditions[]>;
  /** The live offer serving this path, other than `exceptId`, or null. */
  findLiveByPath(path: string, exceptId?: string): Promise<Offer | null>;
  /** Id and version of every live offer (cheap: the reconciler's periodic relist). */
  listVersions(): Promise<OfferVersion[]>;
  /**
   * Writes many offers' conditions in one statement; rows that would not change are not written, and
   * `lastTransitionTime` moves only when a status changes. Returns the number of condition rows written.
   */
  saveConditionsMany(writes: ConditionWrite[], now: Date): Promise<number>;
}
