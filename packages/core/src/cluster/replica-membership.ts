import { z } from "zod";

/** One `tollgate serve` process on the shared ledger, as the cluster sees it. */
export const replicaViewSchema = z.object({
  id: z.string(),
  leader: z.boolean(),
  /** When its membership connection opened (RFC 3339). */
  since: z.string().nullable(),
});

/** Who this replica is and who leads (`/readyz`, `tollgate cluster status`). */
export const replicationStatusSchema = z.object({
  replica: z.string(),
  role: z.enum(["leader", "follower"]),
  /** The leading replica's id; null while nobody holds the lock (a failover in progress). */
  leader: z.string().nullable(),
  replicas: z.array(replicaViewSchema),
});
export type ReplicationStatus = z.infer<typeof replicationStatusSchema>;

/**
 * This replica's place among the servers sharing one ledger (SPEC §15): exactly one leads (runs reconciler
 * writes, the registrar, payment recovery and the devnet); the others serve. A single server simply leads.
 */
export interface ReplicaMembership {
  readonly replicaId: string;
  /** Whether this replica leads right now. */
  isLeader(): boolean;
  /** The leader's id as last seen (this replica's own id when it leads). */
  leaderId(): string | null;
  /** Called with the new role whenever leadership is gained or lost; returns the unsubscribe function. */
  onChange(listener: (leader: boolean) => void): () => void;
  /** The replicas connected to the ledger now, and who leads. */
  status(): Promise<ReplicationStatus>;
}
