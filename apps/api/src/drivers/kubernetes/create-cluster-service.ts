import { type SettingsStore, TollgateError } from "@tollgate/core";
import { type ReplicaMembership, replicationStatusSchema } from "@tollgate/core/cluster/replica-membership";
import { z } from "zod";
import { GATEWAY_SETTING, parseGatewayRef } from "./gateway-ref.ts";
import type { ClusterProjection } from "./start-cluster-projection.ts";

const conditionSchema = z.object({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
});

/** `tollgate cluster status`: the driver, the API server, the CRD, and how much drift was repaired. */
export const clusterStatusSchema = z.discriminatedUnion("driver", [
  z.object({ driver: z.literal("local"), replication: replicationStatusSchema }),
  z.object({
    driver: z.literal("kubernetes"),
    replication: replicationStatusSchema,
    server: z.string(),
    namespace: z.string(),
    gateway: z.string().nullable(),
    conditions: z.array(conditionSchema),
    crdInstalled: z.boolean(),
    managedOffers: z.number().int(),
    lastSyncAt: z.string().nullable(),
    lastError: z.string().nullable(),
    driftRepairs: z.number().int(),
    apiRequests: z.number().int(),
  }),
]);
export type ClusterStatusView = z.infer<typeof clusterStatusSchema>;

export const setGatewayInputSchema = z.object({
  /** `<namespace>/<name>` of the parent Gateway, or null to publish routes without a parent. */
  gateway: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
      "must be <namespace>/<name>, e.g. infra/public",
    )
    .nullable(),
});

export interface ClusterService {
  status(): Promise<ClusterStatusView>;
  setGateway(input: z.infer<typeof setGatewayInputSchema>): Promise<ClusterStatusView>;
}

/** The cluster facts the transports show (works with the local driver too: `driver: "local"`). */
export function createClusterService({
  projection,
  settings,
  membership,
}: {
  projection: ClusterProjection | null;
  settings: Pick<SettingsStore, "get" | "set">;
  /** The replicas on this ledger and who leads (SPEC §15). */
  membership: Pick<ReplicaMembership, "status">;
}): ClusterService {
  const status = async (): Promise<ClusterStatusView> => {
    const replication = await membership.status();
    if (!projection) return { driver: "local", replication };
    const gateway = parseGatewayRef(await settings.get<string>(GATEWAY_SETTING));
    return {
      ...projection.driver.status(),
      replication,
      gateway: gateway ? `${gateway.namespace}/${gateway.name}` : null,
    };
  };
  return {
    status,
    async setGateway({ gateway }) {
      if (gateway !== null && !parseGatewayRef(gateway)) {
        throw new TollgateError("VALIDATION_FAILED", "gateway must be <namespace>/<name>", { field: "gateway" });
      }
      await settings.set(GATEWAY_SETTING, gateway);
      projection?.wake();
      return status();
    },
  };
}
