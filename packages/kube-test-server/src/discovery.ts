import { createHash } from "node:crypto";
import type { ResourceRegistry } from "./resource-registry.ts";
import { groupVersion, type JsonSchema, type ResourceDef } from "./types.ts";

export const KUBE_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.4",
  gitCommit: "59526cd4867447956156ae3a602fcbac10a2c335",
  gitTreeState: "clean",
  buildDate: "2025-04-22T16:02:27Z",
  goVersion: "go1.23.6",
  compiler: "gc",
  platform: "linux/amd64",
};

const scope = (d: ResourceDef) => (d.namespaced ? "Namespaced" : "Cluster");
const responseKind = (d: ResourceDef) => ({ group: d.group, version: d.version, kind: d.kind });

/** Aggregated discovery (`apidiscovery.k8s.io/v2` or `v2beta1`) for `/api` (core) or `/apis` (groups). */
export const aggregatedDiscovery = (registry: ResourceRegistry, core: boolean, apiVersion: "v2" | "v2beta1") => ({
  kind: "APIGroupDiscoveryList",
  apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
  metadata: {},
  items: registry
    .groupVersions()
    .filter((g) => (g.group === "") === core)
    .map((g) => ({
      metadata: { name: g.group, ...(core ? {} : { creationTimestamp: null }) },
      versions: g.versions.map((version) => ({
        version,
        freshness: "Current",
        resources: registry
          .all()
          .filter((d) => d.group === g.group && d.version === version)
          .map((d) => ({
            resource: d.resource,
            responseKind: responseKind(d),
            scope: scope(d),
            singularResource: d.singular,
            verbs: d.verbs,
            ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
            ...(d.categories.length ? { categories: d.categories } : {}),
            ...(d.hasStatus
              ? {
                  subresources: [
                    { subresource: "status", responseKind: responseKind(d), verbs: ["get", "patch", "update"] },
                  ],
                }
              : {}),
          })),
      })),
    })),
});

/** Legacy discovery: `/api` (APIVersions). */
export const apiVersions = (serverAddress: string) => ({
  kind: "APIVersions",
  versions: ["v1"],
  serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
});

/** Legacy discovery: `/apis` (APIGroupList). */
export const apiGroupList = (registry: ResourceRegistry) => ({
  kind: "APIGroupList",
  apiVersion: "v1",
  groups: registry
    .groupVersions()
    .filter((g) => g.group !== "")
    .map((g) => apiGroup(g.group, g.versions)),
});

export const apiGroup = (group: string, versions: string[]) => ({
  kind: "APIGroup",
  apiVersion: "v1",
  name: group,
  versions: versions.map((version) => ({ groupVersion: `${group}/${version}`, version })),
  preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
});

/** Legacy discovery: `/api/v1`, `/apis/{group}/{version}` (APIResourceList). */
export const apiResourceList = (registry: ResourceRegistry, group: string, version: string) => {
  const defs = registry.all().filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group === "" ? version : `${group}/${version}`,
    resources: defs.flatMap((d) => [
      {
        name: d.resource,
        singularName: d.singular,
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: d.verbs,
        ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
        ...(d.categories.length ? { categories: d.categories } : {}),
      },
      ...(d.hasStatus
        ? [
            {
              name: `${d.resource}/status`,
              singularName: "",
              namespaced: d.namespaced,
              kind: d.kind,
              verbs: ["get", "patch", "update"],
            },
          ]
        : []),
    ]),
  };
};

const OBJECT_META: JsonSchema = {
  type: "object",
  description:
    "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
  properties: {
    name: { type: "string", description: "Name must be unique within a namespace." },
    generateName: {
      type: "string",
      description: "GenerateName is an optional prefix, used by the server, to generate a unique name.",
    },
    namespace: { type: "string", description: "Namespace defines the space within which each name must be unique." },
    uid: { type: "string", description: "UID is the unique in time and space value for this object." },
    resourceVersion: {
      type: "string",
      description: "An opaque value that represents the internal version of this object.",
    },
    generation: {
      type: "integer",
      format: "int64",
      description: "A sequence number representing a specific generation of the desired state.",
    },
    creationTimestamp: {
      type: "string",
      format: "date-time",
      description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
    },
    deletionTimestamp: {
      type: "string",
      format: "date-time",
      description: "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.",
    },
    labels: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Map of string keys and values that can be used to organize and categorize objects.",
    },
    annotations: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Annotations is an unstructured key value map stored with a resource.",
    },
    finalizers: {
      type: "array",
      items: { type: "string" },
      description: "Must be empty before the object is deleted from the registry.",
    },
    ownerReferences: {
      type: "array",
      items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      description: "List of objects depended by this object.",
    },
    managedFields: {
      type: "array",
      items: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      description: "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.",
    },
  },
};
const OBJECT_META_NAME = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/** The OpenAPI schema name of a kind (`io.k8s.api.core.v1.ConfigMap`, `org.obol.v1alpha1.ServiceOffer`). */
export const schemaName = (d: ResourceDef): string => {
  if (!d.isCustom) {
    const pkg = d.group === "" ? "core" : d.group.replace(/\.k8s\.io$/, "").replace(/\.authorization$/, "");
    const base =
      d.group === "apiextensions.k8s.io"
        ? "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions"
        : `io.k8s.api.${pkg}`;
    return `${base}.${d.version}.${d.kind}`;
  }
  return `${d.group.split(".").reverse().join(".")}.${d.version}.${d.kind}`;
};

const kindSchema = (d: ResourceDef): JsonSchema => {
  const base = structuredClone(d.schema ?? { type: "object" });
  base.properties = {
    ...(base.properties ?? {}),
    apiVersion: {
      type: "string",
      description: "APIVersion defines the versioned schema of this representation of an object.",
    },
    kind: {
      type: "string",
      description: "Kind is a string value representing the REST resource this object represents.",
    },
    metadata: {
      description: "Standard object's metadata.",
      allOf: [{ $ref: `#/components/schemas/${OBJECT_META_NAME}` }],
    } as JsonSchema,
  };
  base["x-kubernetes-group-version-kind"] = [{ group: d.group, version: d.version, kind: d.kind }];
  return base;
};

const operation = (d: ResourceDef, action: string, extra: Record<string, unknown> = {}) => ({
  operationId: `${action}${d.kind}`,
  "x-kubernetes-action": action,
  "x-kubernetes-group-version-kind": { group: d.group, version: d.version, kind: d.kind },
  parameters: [
    { name: "dryRun", in: "query", schema: { type: "string", uniqueItems: true } },
    { name: "fieldManager", in: "query", schema: { type: "string", uniqueItems: true } },
    { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } },
  ],
  responses: {
    "200": {
      description: "OK",
      content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaName(d)}` } } },
    },
  },
  ...extra,
});

/** The OpenAPI v3 document of one group-version (what `kubectl apply` and `explain` read). */
export const openApiGroupVersion = (registry: ResourceRegistry, group: string, version: string) => {
  const defs = registry.all().filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const prefix = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { [OBJECT_META_NAME]: OBJECT_META };
  for (const d of defs) {
    const collection = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.resource}` : `${prefix}/${d.resource}`;
    const nsParam = d.namespaced ? [{ name: "namespace", in: "path", required: true, schema: { type: "string" } }] : [];
    paths[collection] = {
      get: operation(d, "list"),
      post: operation(d, "post"),
      delete: operation(d, "deletecollection"),
      parameters: nsParam,
    };
    const item = {
      get: operation(d, "get"),
      put: operation(d, "put"),
      patch: operation(d, "patch"),
      delete: operation(d, "delete"),
      parameters: [...nsParam, { name: "name", in: "path", required: true, schema: { type: "string" } }],
    };
    paths[`${collection}/{name}`] = item;
    if (d.hasStatus)
      paths[`${collection}/{name}/status`] = {
        get: item.get,
        put: item.put,
        patch: item.patch,
        parameters: item.parameters,
      };
    schemas[schemaName(d)] = kindSchema(d);
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: KUBE_VERSION.gitVersion },
    paths,
    components: { schemas },
  };
};

const hashOf = (doc: unknown): string =>
  createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase().slice(0, 128);

/** The OpenAPI v3 root: one entry per group-version with a content hash. */
export const openApiRoot = (registry: ResourceRegistry) => {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of registry.groupVersions()) {
    for (const v of g.versions) {
      const key = g.group === "" ? `api/${v}` : `apis/${g.group}/${v}`;
      paths[key] = {
        serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(openApiGroupVersion(registry, g.group, v))}`,
      };
    }
  }
  return { paths };
};

export { groupVersion };
