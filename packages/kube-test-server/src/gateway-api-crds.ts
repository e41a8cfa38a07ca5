import type { JsonSchema, KubeObject } from "./types.ts";

/**
 * The Gateway API standard-channel CRDs (v1.2 shapes, trimmed to the fields Tollgate and kubectl use,
 * with the upstream defaults and limits), preinstalled as a cluster with a Gateway controller has them.
 */
const GROUP = "gateway.networking.k8s.io";
const str = (extra: JsonSchema = {}): JsonSchema => ({ type: "string", ...extra });
const int = (extra: JsonSchema = {}): JsonSchema => ({ type: "integer", ...extra });
const obj = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({
  type: "object",
  properties,
  ...extra,
});
const arr = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: "array", items, ...extra });

const conditions: JsonSchema = arr(
  obj(
    {
      type: str({ maxLength: 316 }),
      status: str({ enum: ["True", "False", "Unknown"] }),
      reason: str({ maxLength: 1024 }),
      message: str({ maxLength: 32768 }),
      lastTransitionTime: str({ format: "date-time" }),
      observedGeneration: int({ minimum: 0 }),
    },
    { required: ["type", "status", "lastTransitionTime", "reason", "message"] },
  ),
  { maxItems: 8, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"] },
);

const parentRef: JsonSchema = obj(
  {
    group: str({ default: GROUP, maxLength: 253 }),
    kind: str({ default: "Gateway", maxLength: 63, minLength: 1 }),
    namespace: str({ maxLength: 63, minLength: 1 }),
    name: str({ maxLength: 253, minLength: 1 }),
    sectionName: str({ maxLength: 253, minLength: 1 }),
    port: int({ minimum: 1, maximum: 65535 }),
  },
  { required: ["name"] },
);

const backendRef: JsonSchema = obj(
  {
    group: str({ default: "", maxLength: 253 }),
    kind: str({ default: "Service", maxLength: 63, minLength: 1 }),
    name: str({ maxLength: 253, minLength: 1 }),
    namespace: str({ maxLength: 63, minLength: 1 }),
    port: int({ minimum: 1, maximum: 65535 }),
    weight: int({ default: 1, minimum: 0, maximum: 1000000 }),
    filters: arr({ type: "object", "x-kubernetes-preserve-unknown-fields": true }, { maxItems: 16 }),
  },
  { required: ["name"] },
);

const match: JsonSchema = obj({
  path: obj(
    {
      type: str({ default: "PathPrefix", enum: ["Exact", "PathPrefix", "RegularExpression"] }),
      value: str({ default: "/", maxLength: 1024 }),
    },
    { default: { type: "PathPrefix", value: "/" } },
  ),
  headers: arr(
    obj(
      {
        type: str({ default: "Exact", enum: ["Exact", "RegularExpression"] }),
        name: str({ maxLength: 256, minLength: 1 }),
        value: str({ maxLength: 4096, minLength: 1 }),
      },
      { required: ["name", "value"] },
    ),
    { maxItems: 16, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] },
  ),
  queryParams: arr(
    obj(
      {
        type: str({ default: "Exact", enum: ["Exact", "RegularExpression"] }),
        name: str({ maxLength: 256, minLength: 1 }),
        value: str({ maxLength: 1024, minLength: 1 }),
      },
      { required: ["name", "value"] },
    ),
    { maxItems: 16, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] },
  ),
  method: str({ enum: ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] }),
});

const routeStatus: JsonSchema = obj({
  parents: arr(
    obj(
      { parentRef, controllerName: str({ maxLength: 253, minLength: 1 }), conditions: { ...conditions, minItems: 1 } },
      { required: ["controllerName", "parentRef"] },
    ),
    { maxItems: 32 },
  ),
});

const httpRouteSchema: JsonSchema = obj(
  {
    spec: obj(
      {
        parentRefs: arr(parentRef, { maxItems: 32 }),
        hostnames: arr(
          str({
            maxLength: 253,
            minLength: 1,
            pattern: "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
          }),
          { maxItems: 16 },
        ),
        rules: arr(
          obj({
            name: str({ maxLength: 253, minLength: 1 }),
            matches: arr(match, { maxItems: 64, default: [{ path: { type: "PathPrefix", value: "/" } }] }),
            filters: arr({ type: "object", "x-kubernetes-preserve-unknown-fields": true }, { maxItems: 16 }),
            backendRefs: arr(backendRef, { maxItems: 16 }),
            timeouts: obj({ request: str(), backendRequest: str() }),
          }),
          { maxItems: 16, default: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }] },
        ),
      },
      { default: {} },
    ),
    status: routeStatus,
  },
  { description: "HTTPRoute provides a way to route HTTP requests." },
);

const gatewaySchema: JsonSchema = obj(
  {
    spec: obj(
      {
        gatewayClassName: str({ maxLength: 253, minLength: 1 }),
        listeners: arr(
          obj(
            {
              name: str({ maxLength: 253, minLength: 1 }),
              hostname: str({ maxLength: 253 }),
              port: int({ minimum: 1, maximum: 65535 }),
              protocol: str({ maxLength: 255, minLength: 1 }),
              tls: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              allowedRoutes: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
            { required: ["name", "port", "protocol"] },
          ),
          { maxItems: 64, minItems: 1, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] },
        ),
        addresses: arr(obj({ type: str({ default: "IPAddress" }), value: str() }), { maxItems: 16 }),
      },
      { required: ["gatewayClassName", "listeners"] },
    ),
    status: obj({
      addresses: arr(obj({ type: str(), value: str() })),
      conditions,
      listeners: arr({ type: "object", "x-kubernetes-preserve-unknown-fields": true }),
    }),
  },
  { description: "Gateway represents an instance of a service-traffic handling infrastructure." },
);

const gatewayClassSchema: JsonSchema = obj(
  {
    spec: obj(
      {
        controllerName: str({ maxLength: 253, minLength: 1 }),
        description: str({ maxLength: 64 }),
        parametersRef: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
      { required: ["controllerName"] },
    ),
    status: obj({ conditions }),
  },
  { description: "GatewayClass describes a class of Gateways available to the user for creating Gateway resources." },
);

const referenceGrantSchema: JsonSchema = obj(
  {
    spec: obj({
      from: arr(obj({ group: str(), kind: str(), namespace: str() }, { required: ["group", "kind", "namespace"] }), {
        minItems: 1,
        maxItems: 16,
      }),
      to: arr(obj({ group: str(), kind: str(), name: str() }, { required: ["group", "kind"] }), {
        minItems: 1,
        maxItems: 16,
      }),
    }),
  },
  {
    description:
      "ReferenceGrant identifies kinds of resources in other namespaces that are trusted to reference the specified kinds of resources in the same namespace as the policy.",
  },
);

const crd = (
  plural: string,
  kind: string,
  scope: "Namespaced" | "Cluster",
  version: string,
  schema: JsonSchema,
  shortNames: string[],
  columns: { name: string; type: string; jsonPath: string }[],
  status = true,
): KubeObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: {
    name: `${plural}.${GROUP}`,
    annotations: {
      "gateway.networking.k8s.io/bundle-version": "v1.2.1",
      "gateway.networking.k8s.io/channel": "standard",
    },
  },
  spec: {
    group: GROUP,
    scope,
    names: {
      plural,
      singular: kind.toLowerCase(),
      kind,
      listKind: `${kind}List`,
      shortNames,
      categories: ["gateway-api"],
    },
    versions: [
      {
        name: version,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        ...(status ? { subresources: { status: {} } } : {}),
        additionalPrinterColumns: columns,
      },
    ],
  },
});

/** Gateway API CRDs installed at start. */
export const GATEWAY_API_CRDS: KubeObject[] = [
  crd(
    "gatewayclasses",
    "GatewayClass",
    "Cluster",
    "v1",
    gatewayClassSchema,
    ["gc"],
    [
      { name: "Controller", type: "string", jsonPath: ".spec.controllerName" },
      { name: "Accepted", type: "string", jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
    ],
  ),
  crd(
    "gateways",
    "Gateway",
    "Namespaced",
    "v1",
    gatewaySchema,
    ["gtw"],
    [
      { name: "Class", type: "string", jsonPath: ".spec.gatewayClassName" },
      { name: "Programmed", type: "string", jsonPath: '.status.conditions[?(@.type=="Programmed")].status' },
    ],
  ),
  crd(
    "httproutes",
    "HTTPRoute",
    "Namespaced",
    "v1",
    httpRouteSchema,
    [],
    [{ name: "Hostnames", type: "string", jsonPath: ".spec.hostnames" }],
  ),
  crd("referencegrants", "ReferenceGrant", "Namespaced", "v1beta1", referenceGrantSchema, ["refgrant"], [], false),
];
