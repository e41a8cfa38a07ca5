import type { IdentityFields, IdentityRecord } from "./identity.ts";

/** Ledger access for ERC-8004 identities (one row per chain); implemented in packages/db. */
export interface IdentityRepository {
  /** Every identity, by chain id. */
  list(): Promise<IdentityRecord[]>;
  /** The identity of a chain, or null. */
  find(chain: string): Promise<IdentityRecord | null>;
  /** Creates or replaces the chain's identity; with `audit`, an audit event is written in the same transaction. */
  save(chain: string, fields: IdentityFields, audit?: { actor: string; action: string }): Promise<IdentityRecord>;
}
