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
  /** What decides leadership: the ledger's advisory lock, or a Kubernetes Lease with the kubernetes driver. */
  election: z.string().optional(),
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

/**
 * Leadership decided outside the ledger (a Kubernetes Lease with the kubernetes driver): the replica session
 * then keeps its ledger connection for membership and gas-account leases only and takes its roles from here.
 */
export interface LeadershipSource {
  isLeader(): boolean;
  /** The leader as last seen (this replica's id when it leads); null when unknown. */
  leaderId(): string | null;
  onChange(listener: (leader: boolean) => void): () => void;
  /** How leadership is decided, for status output (e.g. `kubernetes Lease tollgate/tollgate-leader`). */
  describe(): string;
}
