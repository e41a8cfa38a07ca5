import { isPlainObject } from "./schema-validation.ts";
import { causes } from "./status.ts";
import type { FieldCause, JsonSchema, KubeObject, PrinterColumn, ResourceDef } from "./types.ts";

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

const loose = (properties: Record<string, JsonSchema> = {}, description?: string): JsonSchema => ({
  type: "object",
  ...(description ? { description } : {}),
  properties,
  "x-kubernetes-preserve-unknown-fields": true,
});

type BuiltinInput = Partial<ResourceDef> & Pick<ResourceDef, "group" | "version" | "resource" | "kind">;

/** Builds a built-in resource definition with the API server's defaults for built-ins. */
export const builtin = (input: BuiltinInput): ResourceDef => ({
  singular: input.kind.toLowerCase(),
  listKind: `${input.kind}List`,
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ALL_VERBS,
  hasStatus: false,
  hasGeneration: false,
  requireResourceVersionOnUpdate: false,
  isCustom: false,
  strictSchema: false,
  printerColumns: [],
  schema: loose(),
  ...input,
});

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The name rule of a resource: DNS-1123 labels for namespaces and services, subdomains for the rest. */
export const validateName = (def: ResourceDef, name: string): FieldCause[] => {
  const label = def.resource === "namespaces" || def.resource === "services";
  if (label) {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return [
        causes.invalid(
          "metadata.name",
          name,
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
      ];
    }
    return [];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      causes.invalid(
        "metadata.name",
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ),
    ];
  }
  return [];
};

const validateQualifiedKey = (field: string, key: string): FieldCause[] => {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const out: FieldCause[] = [];
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    out.push(
      causes.invalid(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
  }
  if (slash >= 0 && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    out.push(
      causes.invalid(
        field,
        key,
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'",
      ),
    );
  }
  return out;
};

/** Labels and annotations rules shared by every kind. */
export const validateObjectMeta = (obj: KubeObject): FieldCause[] => {
  const out: FieldCause[] = [];
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    out.push(...validateQualifiedKey("metadata.labels", k));
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
      out.push(
        causes.invalid(
          "metadata.labels",
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  for (const k of Object.keys(obj.metadata.annotations ?? {}))
    out.push(...validateQualifiedKey("metadata.annotations", k));
  for (const f of obj.metadata.finalizers ?? []) out.push(...validateQualifiedKey("metadata.finalizers", f));
  return out;
};

const validPort = (field: string, value: unknown): FieldCause[] =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535
    ? []
    : [causes.invalid(field, value, "must be between 1 and 65535, inclusive")];

const validateService = (obj: KubeObject): FieldCause[] => {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const out: FieldCause[] = [];
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (spec.type !== "ExternalName" && ports.length === 0) out.push(causes.required("spec.ports"));
  ports.forEach((p, i) => {
    if (!isPlainObject(p)) return;
    out.push(...validPort(`spec.ports[${i}].port`, p.port));
    if (ports.length > 1 && !p.name) out.push(causes.required(`spec.ports[${i}].name`));
  });
  if (
    spec.type !== undefined &&
    !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].includes(String(spec.type))
  ) {
    out.push(causes.notSupported("spec.type", spec.type, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]));
  }
  return out;
};

const validateEndpointSlice = (obj: KubeObject): FieldCause[] => {
  const out: FieldCause[] = [];
  if (obj.addressType === undefined) out.push(causes.required("addressType"));
  else if (!["IPv4", "IPv6", "FQDN"].includes(String(obj.addressType))) {
    out.push(causes.notSupported("addressType", obj.addressType, ["FQDN", "IPv4", "IPv6"]));
  }
  if (!Array.isArray(obj.endpoints)) out.push(causes.required("endpoints"));
  else {
    if (obj.endpoints.length > 1000) out.push(causes.tooMany("endpoints", 1000));
    obj.endpoints.forEach((e, i) => {
      const addresses = isPlainObject(e) && Array.isArray(e.addresses) ? e.addresses : [];
      if (addresses.length === 0) out.push(causes.required(`endpoints[${i}].addresses`));
      if (addresses.length > 100) out.push(causes.tooMany(`endpoints[${i}].addresses`, 100));
    });
  }
  if (Array.isArray(obj.ports)) {
    obj.ports.forEach((p, i) => {
      if (isPlainObject(p) && p.port !== undefined) out.push(...validPort(`ports[${i}].port`, p.port));
    });
  }
  return out;
};

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const validateLease = (obj: KubeObject): FieldCause[] => {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const out: FieldCause[] = [];
  for (const key of ["acquireTime", "renewTime"]) {
    const v = spec[key];
    if (v !== undefined && v !== null && (typeof v !== "string" || !MICRO_TIME.test(v))) {
      out.push(causes.invalid(`spec.${key}`, v, "must be a MicroTime in RFC3339 format with 6 fractional digits"));
    }
  }
  if (spec.leaseDurationSeconds !== undefined && !(Number(spec.leaseDurationSeconds) > 0)) {
    out.push(causes.invalid("spec.leaseDurationSeconds", spec.leaseDurationSeconds, "must be greater than 0"));
  }
  return out;
};

const validateDeployment = (obj: KubeObject): FieldCause[] => {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const out: FieldCause[] = [];
  const selector = isPlainObject(spec.selector) ? spec.selector : undefined;
  if (!selector) out.push(causes.required("spec.selector"));
  const template = isPlainObject(spec.template) ? spec.template : {};
  const tmeta = isPlainObject(template.metadata) ? template.metadata : {};
  const tlabels = isPlainObject(tmeta.labels) ? tmeta.labels : {};
  const match = selector && isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  if (selector && Object.entries(match).some(([k, v]) => tlabels[k] !== v)) {
    out.push(causes.invalid("spec.template.metadata.labels", tlabels, "`selector` does not match template `labels`"));
  }
  const pod = isPlainObject(template.spec) ? template.spec : {};
  const containers = Array.isArray(pod.containers) ? pod.containers : [];
  if (containers.length === 0) out.push(causes.required("spec.template.spec.containers"));
  containers.forEach((c, i) => {
    if (!isPlainObject(c) || !c.name) out.push(causes.required(`spec.template.spec.containers[${i}].name`));
    if (!isPlainObject(c) || !c.image) out.push(causes.required(`spec.template.spec.containers[${i}].image`));
  });
  return out;
};

const validatePdb = (obj: KubeObject): FieldCause[] => {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return [causes.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set")];
  }
  return [];
};

const validateRules = (obj: KubeObject): FieldCause[] => {
  const rules = Array.isArray(obj.rules) ? obj.rules : [];
  const out: FieldCause[] = [];
  rules.forEach((r, i) => {
    if (!isPlainObject(r) || !Array.isArray(r.verbs) || r.verbs.length === 0)
      out.push(causes.required(`rules[${i}].verbs`));
  });
  return out;
};

const validateBinding = (obj: KubeObject): FieldCause[] =>
  isPlainObject(obj.roleRef) && obj.roleRef.kind && obj.roleRef.name ? [] : [causes.required("roleRef")];

const ageColumn: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** The built-in types this server serves (besides CRDs, which are in `crd-resources.ts`). */
export const BUILTIN_RESOURCES: ResourceDef[] = [
  builtin({
    group: "",
    version: "v1",
    resource: "namespaces",
    kind: "Namespace",
    namespaced: false,
    shortNames: ["ns"],
    hasStatus: true,
    schema: loose(
      {
        spec: loose({ finalizers: { type: "array", items: { type: "string" } } }),
        status: loose({ phase: { type: "string" } }),
      },
      "Namespace provides a scope for Names.",
    ),
    printerColumns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }, ageColumn],
  }),
  builtin({
    group: "",
    version: "v1",
    resource: "configmaps",
    kind: "ConfigMap",
    shortNames: ["cm"],
    schema: loose(
      {
        data: { type: "object", additionalProperties: { type: "string" } },
        binaryData: { type: "object", additionalProperties: { type: "string" } },
        immutable: { type: "boolean" },
      },
      "ConfigMap holds configuration data for pods to consume.",
    ),
    printerColumns: [{ name: "Data", type: "integer", jsonPath: ".data" }, ageColumn],
  }),
  builtin({
    group: "",
    version: "v1",
    resource: "secrets",
    kind: "Secret",
    schema: loose(
      {
        data: { type: "object", additionalProperties: { type: "string", format: "byte" } },
        stringData: { type: "object", additionalProperties: { type: "string" } },
        type: { type: "string" },
      },
      "Secret holds secret data of a certain type.",
    ),
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".type" },
      { name: "Data", type: "integer", jsonPath: ".data" },
      ageColumn,
    ],
  }),
  builtin({
    group: "",
    version: "v1",
    resource: "services",
    kind: "Service",
    shortNames: ["svc"],
    categories: ["all"],
    hasStatus: true,
    validate: validateService,
    schema: loose(
      {
        spec: loose({
          type: { type: "string" },
          selector: { type: "object", additionalProperties: { type: "string" } },
          ports: {
            type: "array",
            items: loose({
              name: { type: "string" },
              port: { type: "integer" },
              targetPort: { "x-kubernetes-int-or-string": true },
              protocol: { type: "string" },
            }),
          },
          clusterIP: { type: "string" },
        }),
        status: loose(),
      },
      "Service is a named abstraction of software service.",
    ),
    printerColumns: [
      { name: "Type", type: "string", jsonPath: ".spec.type" },
      { name: "Cluster-IP", type: "string", jsonPath: ".spec.clusterIP" },
      ageColumn,
    ],
  }),
  builtin({ group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", shortNames: ["sa"] }),
  builtin({ group: "", version: "v1", resource: "endpoints", kind: "Endpoints", shortNames: ["ep"] }),
  builtin({ group: "", version: "v1", resource: "events", kind: "Event", shortNames: ["ev"] }),
  builtin({
    group: "",
    version: "v1",
    resource: "pods",
    kind: "Pod",
    shortNames: ["po"],
    categories: ["all"],
    hasStatus: true,
  }),
  builtin({
    group: "discovery.k8s.io",
    version: "v1",
    resource: "endpointslices",
    kind: "EndpointSlice",
    hasGeneration: true,
    validate: validateEndpointSlice,
    schema: loose(
      {
        addressType: { type: "string" },
        endpoints: {
          type: "array",
          items: loose({
            addresses: { type: "array", items: { type: "string" } },
            conditions: loose({
              ready: { type: "boolean" },
              serving: { type: "boolean" },
              terminating: { type: "boolean" },
            }),
          }),
        },
        ports: {
          type: "array",
          items: loose({ name: { type: "string" }, port: { type: "integer" }, protocol: { type: "string" } }),
        },
      },
      "EndpointSlice represents a subset of the endpoints that implement a service.",
    ),
    printerColumns: [{ name: "AddressType", type: "string", jsonPath: ".addressType" }, ageColumn],
  }),
  builtin({
    group: "coordination.k8s.io",
    version: "v1",
    resource: "leases",
    kind: "Lease",
    validate: validateLease,
    schema: loose(
      {
        spec: loose({
          holderIdentity: { type: "string" },
          leaseDurationSeconds: { type: "integer" },
          acquireTime: { type: "string" },
          renewTime: { type: "string" },
          leaseTransitions: { type: "integer" },
        }),
      },
      "Lease defines a lease concept.",
    ),
    printerColumns: [{ name: "Holder", type: "string", jsonPath: ".spec.holderIdentity" }, ageColumn],
  }),
  builtin({
    group: "apps",
    version: "v1",
    resource: "deployments",
    kind: "Deployment",
    shortNames: ["deploy"],
    categories: ["all"],
    hasStatus: true,
    hasGeneration: true,
    validate: validateDeployment,
  }),
  builtin({
    group: "policy",
    version: "v1",
    resource: "poddisruptionbudgets",
    kind: "PodDisruptionBudget",
    shortNames: ["pdb"],
    hasStatus: true,
    hasGeneration: true,
    validate: validatePdb,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "roles",
    kind: "Role",
    validate: validateRules,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "rolebindings",
    kind: "RoleBinding",
    validate: validateBinding,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "clusterroles",
    kind: "ClusterRole",
    namespaced: false,
    validate: validateRules,
  }),
  builtin({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    resource: "clusterrolebindings",
    kind: "ClusterRoleBinding",
    namespaced: false,
    validate: validateBinding,
  }),
  builtin({
    group: "networking.k8s.io",
    version: "v1",
    resource: "networkpolicies",
    kind: "NetworkPolicy",
    shortNames: ["netpol"],
  }),
];

/** Defaults the API server fills in on create for built-ins (Service cluster IP, Secret stringData…). */
export const applyBuiltinDefaults = (def: ResourceDef, obj: KubeObject, allocateIp: () => string): void => {
  if (def.resource === "secrets") {
    if (isPlainObject(obj.stringData)) {
      const data: Record<string, unknown> = isPlainObject(obj.data) ? obj.data : {};
      for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString("base64");
      obj.data = data;
      delete obj.stringData;
    }
    obj.type ??= "Opaque";
  }
  if (def.resource === "services" && isPlainObject(obj.spec)) {
    const spec = obj.spec;
    spec.type ??= "ClusterIP";
    spec.sessionAffinity ??= "None";
    if (spec.type !== "ExternalName" && spec.clusterIP === undefined) {
      spec.clusterIP = allocateIp();
      spec.clusterIPs = [spec.clusterIP];
    }
    if (Array.isArray(spec.ports)) {
      for (const p of spec.ports) {
        if (!isPlainObject(p)) continue;
        p.protocol ??= "TCP";
        p.targetPort ??= p.port;
      }
    }
    obj.status ??= { loadBalancer: {} };
  }
  if (def.resource === "namespaces") {
    obj.spec = { finalizers: ["kubernetes"], ...(isPlainObject(obj.spec) ? obj.spec : {}) };
    obj.status = { phase: "Active" };
  }
  if (def.resource === "deployments" && isPlainObject(obj.spec)) {
    obj.spec.replicas ??= 1;
  }
  if (def.resource === "endpointslices" && Array.isArray(obj.ports)) {
    for (const p of obj.ports) if (isPlainObject(p)) p.protocol ??= "TCP";
  }
};
