import type { CreateOfferInput, Offer, OfferCondition, UpdateOfferInput } from "@tollgate/core";
import {
  FIELD_MANAGER,
  LEDGER_FINALIZER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SERVICE_OFFER_GROUP,
  SERVICE_OFFER_VERSION,
} from "./service-offer-crd.ts";

/** A `k8s://<namespace>/<service>:<port>` upstream. */
export type ClusterUpstream = { namespace: string; service: string; port: number };

const CLUSTER_UPSTREAM = /^k8s:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?):(\d{1,5})$/;

/** Parses a cluster upstream reference, or null when the URL is not one. */
export function parseClusterUpstream(url: string): ClusterUpstream | null {
  const m = CLUSTER_UPSTREAM.exec(url);
  if (!m) return null;
  const port = Number(m[5]);
  if (port < 1 || port > 65535) return null;
  return { namespace: m[1]!, service: m[3]!, port };
}

export const formatClusterUpstream = (u: ClusterUpstream): string => `k8s://${u.namespace}/${u.service}:${u.port}`;

export type ServiceOfferSpec = {
  type?: string;
  model?: { name?: string; runtime?: string };
  upstream?: { service?: string; namespace?: string; port?: number; healthPath?: string; url?: string };
  payment?: {
    scheme?: string;
    network?: string;
    payTo?: string;
    maxTimeoutSeconds?: number;
    price?: { perRequest?: string; perMTok?: string; perHour?: string };
  };
  path?: string;
  description?: string;
  registration?: { enabled?: boolean; name?: string; description?: string; skills?: string[] };
};

export type ServiceOfferObject = {
  apiVersion: string;
  kind: "ServiceOffer";
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec?: ServiceOfferSpec;
  status?: { observedGeneration?: number; endpoint?: string; conditions?: StatusCondition[] };
};

export type StatusCondition = {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
};

const UNIT_KEYS = { request: "perRequest", mtok: "perMTok", hour: "perHour" } as const;

/** The ServiceOffer spec that mirrors a ledger offer. */
export function renderServiceOfferSpec(offer: Offer): ServiceOfferSpec {
  const cluster = parseClusterUpstream(offer.upstreamUrl);
  const spec: ServiceOfferSpec = {
    type: offer.type,
    upstream: cluster
      ? { service: cluster.service, namespace: cluster.namespace, port: cluster.port, healthPath: offer.healthPath }
      : { url: offer.upstreamUrl, healthPath: offer.healthPath },
    payment: {
      scheme: "exact",
      network: offer.payment.chain,
      payTo: offer.payment.payTo,
      maxTimeoutSeconds: offer.payment.maxTimeoutSeconds,
      price: { [UNIT_KEYS[offer.payment.unit]]: offer.payment.price },
    },
    path: offer.path,
    registration: {
      enabled: offer.registration.enabled,
      ...(offer.registration.name ? { name: offer.registration.name } : {}),
      ...(offer.registration.description ? { description: offer.registration.description } : {}),
      skills: offer.registration.skills,
    },
  };
  if (offer.model) spec.model = { name: offer.model };
  if (offer.description) spec.description = offer.description;
  return spec;
}

/** The ServiceOffer Tollgate applies (server-side apply, field manager `tollgate`) for an offer. */
export function renderServiceOffer(offer: Offer, namespace: string): ServiceOfferObject {
  return {
    apiVersion: `${SERVICE_OFFER_GROUP}/${SERVICE_OFFER_VERSION}`,
    kind: "ServiceOffer",
    metadata: {
      name: offer.name,
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      finalizers: [LEDGER_FINALIZER],
    },
    spec: renderServiceOfferSpec(offer),
  };
}

/** Status conditions mirrored from the ledger, plus the Accepted verdict on the last spec edit. */
export function renderStatusConditions(
  conditions: OfferCondition[],
  generation: number,
  accepted: StatusCondition,
): StatusCondition[] {
  return [
    accepted,
    ...conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: `${c.lastTransitionTime.toISOString().slice(0, 19)}Z`,
      observedGeneration: generation,
    })),
  ];
}

/** The HTTPRoute `tg-<offer>` routing the offer's path to Tollgate's Service, owned by the ServiceOffer. */
export function renderHttpRoute(options: {
  offer: Offer;
  namespace: string;
  owner: { name: string; uid: string };
  gateway: { namespace: string; name: string } | null;
  service: { name: string; port: number };
}) {
  const { offer, namespace, owner, gateway, service } = options;
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: {
      name: httpRouteName(offer.name),
      namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, "tollgate.dev/offer": offer.name },
      ownerReferences: [
        {
          apiVersion: `${SERVICE_OFFER_GROUP}/${SERVICE_OFFER_VERSION}`,
          kind: "ServiceOffer",
          name: owner.name,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...(gateway ? { parentRefs: [{ name: gateway.name, namespace: gateway.namespace }] } : {}),
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: offer.path } }],
          backendRefs: [{ name: service.name, port: service.port }],
        },
      ],
    },
  };
}

export const httpRouteName = (offer: string): string => `tg-${offer}`.slice(0, 253);

/** Field errors found while reading a ServiceOffer spec, before the offer service validates the values. */
export type SpecProblem = { field: string; message: string };

const upstreamOf = (spec: ServiceOfferSpec): string | SpecProblem => {
  const u = spec.upstream;
  if (!u) return { field: "spec.upstream", message: "Required value" };
  if (u.url) return u.url;
  if (!u.service || !u.port) return { field: "spec.upstream", message: "needs service and port (or url)" };
  return formatClusterUpstream({ namespace: u.namespace ?? "default", service: u.service, port: u.port });
};

const priceOf = (spec: ServiceOfferSpec): { price: string; unit: "request" | "mtok" | "hour" } | SpecProblem => {
  const p = spec.payment?.price ?? {};
  const set = (
    Object.entries(UNIT_KEYS) as ["request" | "mtok" | "hour", "perRequest" | "perMTok" | "perHour"][]
  ).filter(([, key]) => p[key] !== undefined);
  if (set.length !== 1) {
    return { field: "spec.payment.price", message: "set exactly one of perRequest, perMTok, perHour" };
  }
  const [unit, key] = set[0]!;
  return { price: String(p[key]), unit };
};

const isProblem = (v: unknown): v is SpecProblem => typeof v === "object" && v !== null && "field" in v;

/** Reads a kubectl-written ServiceOffer spec as `offers create` input (validated by the offer service). */
export function readCreateInput(name: string, spec: ServiceOfferSpec): CreateOfferInput | SpecProblem {
  const upstream = upstreamOf(spec);
  if (isProblem(upstream)) return upstream;
  const price = priceOf(spec);
  if (isProblem(price)) return price;
  const type = (spec.type ?? "http") as CreateOfferInput["type"];
  return {
    name,
    type,
    upstream,
    ...(spec.upstream?.healthPath ? { healthPath: spec.upstream.healthPath } : {}),
    ...(spec.path ? { path: spec.path } : {}),
    ...(spec.model?.name ? { model: spec.model.name } : {}),
    ...(spec.description ? { description: spec.description } : {}),
    payment: {
      chain: (spec.payment?.network ?? "local") as NonNullable<CreateOfferInput["payment"]["chain"]>,
      price: price.price,
      unit: price.unit,
      ...(spec.payment?.payTo ? { payTo: spec.payment.payTo } : {}),
      ...(spec.payment?.maxTimeoutSeconds ? { maxTimeoutSeconds: spec.payment.maxTimeoutSeconds } : {}),
    },
    ...(spec.registration
      ? {
          registration: {
            ...(spec.registration.enabled !== undefined ? { enabled: spec.registration.enabled } : {}),
            ...(spec.registration.name ? { name: spec.registration.name } : {}),
            ...(spec.registration.description ? { description: spec.registration.description } : {}),
            ...(spec.registration.skills ? { skills: spec.registration.skills } : {}),
          },
        }
      : {}),
  };
}

/** Reads an edited spec as `offers update` input: every field the spec names (the update ignores equal values). */
export function readUpdateInput(name: string, spec: ServiceOfferSpec): UpdateOfferInput | SpecProblem {
  const created = readCreateInput(name, spec);
  if (isProblem(created)) return created;
  const { type: _type, path: _path, ...rest } = created;
  return rest as UpdateOfferInput;
}

export { FIELD_MANAGER, isProblem };
