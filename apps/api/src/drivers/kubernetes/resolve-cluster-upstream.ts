import type { ClusterUpstream } from "./render-service-offer.ts";

type ServicePort = { name?: string; port: number; targetPort?: number | string };
type SliceLike = {
  metadata?: { namespace?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number }[] | null;
};

/**
 * Resolves a cluster upstream to a URL from outside the cluster: the Service port's name picks the
 * EndpointSlice port, and the first ready address of the Service's slices is the target.
 */
export function resolveThroughEndpointSlices(
  upstream: ClusterUpstream,
  service: { spec?: { ports?: ServicePort[] } } | undefined,
  slices: SliceLike[],
): string | null {
  const svcPort = service?.spec?.ports?.find((p) => p.port === upstream.port);
  if (!svcPort) return null;
  const portName = svcPort.name ?? "";
  for (const slice of slices) {
    if (slice.metadata?.namespace !== upstream.namespace) continue;
    if (slice.metadata?.labels?.["kubernetes.io/service-name"] !== upstream.service) continue;
    if (slice.addressType === "FQDN") continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? "") === portName)?.port;
    if (!port) continue;
    const ready = (slice.endpoints ?? []).find((e) => e.conditions?.ready !== false && (e.addresses?.length ?? 0) > 0);
    const address = ready?.addresses?.[0];
    if (!address) continue;
    const host = slice.addressType === "IPv6" ? `[${address}]` : address;
    return `http://${host}:${port}`;
  }
  return null;
}

/** Inside the cluster a Service is reached by its DNS name. */
export const resolveThroughServiceDns = (u: ClusterUpstream): string =>
  `http://${u.service}.${u.namespace}.svc.cluster.local:${u.port}`;
