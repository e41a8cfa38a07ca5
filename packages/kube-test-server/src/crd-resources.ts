import { builtin } from "./builtin-resources.ts";
import { isPlainObject } from "./schema-validation.ts";
import { causes } from "./status.ts";
import type { FieldCause, JsonSchema, KubeObject, PrinterColumn, ResourceDef } from "./types.ts";

type CrdVersion = {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: { status?: Record<string, never>; scale?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
};

type CrdSpec = {
  group: string;
  scope: "Namespaced" | "Cluster";
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
};

const crdSpec = (obj: KubeObject): CrdSpec => obj.spec as CrdSpec;

const checkStructural = (schema: JsonSchema, path: string, out: FieldCause[]): void => {
  if (schema.$ref !== undefined)
    out.push(causes.forbidden(`${path}.$ref`, "$ref is not allowed in a structural schema"));
  const typed =
    schema.type !== undefined || schema["x-kubernetes-int-or-string"] || schema["x-kubernetes-preserve-unknown-fields"];
  if (!typed) out.push(causes.required(`${path}.type`));
  for (const [k, v] of Object.entries(schema.properties ?? {})) checkStructural(v, `${path}.properties[${k}]`, out);
  if (schema.items) checkStructural(schema.items, `${path}.items`, out);
  if (isPlainObject(schema.additionalProperties))
    checkStructural(schema.additionalProperties as JsonSchema, `${path}.additionalProperties`, out);
};

/** CustomResourceDefinition validation (names, versions, one storage version, structural schemas). */
export const validateCrd = (obj: KubeObject): FieldCause[] => {
  const out: FieldCause[] = [];
  if (!isPlainObject(obj.spec)) return [causes.required("spec")];
  const spec = crdSpec(obj);
  if (!spec.group) out.push(causes.required("spec.group"));
  else if (!spec.group.includes("."))
    out.push(causes.invalid("spec.group", spec.group, "should be a domain with at least one dot"));
  if (!["Namespaced", "Cluster"].includes(spec.scope))
    out.push(causes.notSupported("spec.scope", spec.scope, ["Cluster", "Namespaced"]));
  if (!isPlainObject(spec.names)) out.push(causes.required("spec.names"));
  else {
    if (!spec.names.plural) out.push(causes.required("spec.names.plural"));
    if (!spec.names.kind) out.push(causes.required("spec.names.kind"));
    if (obj.metadata.name !== `${spec.names.plural}.${spec.group}`) {
      out.push(causes.invalid("metadata.name", obj.metadata.name, `must be spec.names.plural+"."+spec.group`));
    }
  }
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) out.push(causes.required("spec.versions"));
  else {
    const storage = spec.versions.filter((v) => v.storage).length;
    if (storage !== 1)
      out.push(
        causes.invalid(
          "spec.versions",
          spec.versions.map((v) => v.name),
          "must have exactly one version marked as storage version",
        ),
      );
    spec.versions.forEach((v, i) => {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) out.push(causes.required(`spec.versions[${i}].schema.openAPIV3Schema`));
      else checkStructural(schema, `spec.versions[${i}].schema.openAPIV3Schema`, out);
    });
  }
  return out;
};

/** The CRD resource itself. */
export const CRD_RESOURCE: ResourceDef = builtin({
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  hasStatus: true,
  hasGeneration: true,
  validate: validateCrd,
  printerColumns: [{ name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp" }],
});

const metadataSchema: JsonSchema = { type: "object" };

/** Served resource definitions of a CRD, one per served version. */
export const resourcesOfCrd = (obj: KubeObject): ResourceDef[] => {
  const spec = crdSpec(obj);
  return spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const base = v.schema?.openAPIV3Schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true };
      const schema: JsonSchema = {
        ...base,
        properties: {
          apiVersion: {
            type: "string",
            description: "APIVersion defines the versioned schema of this representation of an object.",
          },
          kind: {
            type: "string",
            description: "Kind is a string value representing the REST resource this object represents.",
          },
          metadata: metadataSchema,
          ...(base.properties ?? {}),
        },
      };
      return builtin({
        group: spec.group,
        version: v.name,
        resource: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        kind: spec.names.kind,
        listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        namespaced: spec.scope === "Namespaced",
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        hasStatus: v.subresources?.status !== undefined,
        hasGeneration: true,
        requireResourceVersionOnUpdate: true,
        isCustom: true,
        strictSchema: true,
        schema,
        printerColumns: [
          ...(v.additionalPrinterColumns ?? []),
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
      });
    });
};

/** The status the API server writes on an accepted CRD. */
export const crdStatus = (obj: KubeObject, time: string): Record<string, unknown> => {
  const spec = crdSpec(obj);
  return {
    conditions: [
      {
        type: "NamesAccepted",
        status: "True",
        lastTransitionTime: time,
        reason: "NoConflicts",
        message: "no conflicts found",
      },
      {
        type: "Established",
        status: "True",
        lastTransitionTime: time,
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
      },
    ],
    acceptedNames: {
      plural: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      kind: spec.names.kind,
      listKind: spec.names.listKind ?? `${spec.names.kind}List`,
      ...(spec.names.shortNames ? { shortNames: spec.names.shortNames } : {}),
      ...(spec.names.categories ? { categories: spec.names.categories } : {}),
    },
    storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
  };
};
