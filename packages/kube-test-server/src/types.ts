/** A Kubernetes object as JSON: kind, apiVersion, metadata and anything else. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
};

export type OwnerReference = {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
};

export type ManagedFieldsEntry = {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldsV1;
  subresource?: string;
};

export type FieldsV1 = { [key: string]: FieldsV1 };

export type ObjectMeta = {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
};

/** An OpenAPI v3 (structural) schema node as used in CRDs. */
export type JsonSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  nullable?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  [key: string]: unknown;
};

/** One served resource (a built-in type or a custom resource version). */
export type ResourceDef = {
  group: string;
  version: string;
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Status subresource: main writes ignore .status, /status writes only .status. */
  hasStatus: boolean;
  /** metadata.generation is maintained (CRs, CRDs, EndpointSlices, Deployments…). */
  hasGeneration: boolean;
  /** PUT without metadata.resourceVersion is refused (custom resources). */
  requireResourceVersionOnUpdate: boolean;
  /** Custom resources answer strategic merge patch with 415. */
  isCustom: boolean;
  /** Schema used for validation (custom resources) and for OpenAPI/explain. */
  schema?: JsonSchema;
  /** Validate unknown fields against the schema (custom resources; built-ins are loose). */
  strictSchema: boolean;
  printerColumns: PrinterColumn[];
  /** Extra semantic validation (built-ins), returning field causes. */
  validate?: (obj: KubeObject) => FieldCause[];
};

export type PrinterColumn = { name: string; type: string; jsonPath: string; description?: string; priority?: number };

export type FieldCause = { reason: string; message: string; field: string };

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export const groupVersion = (def: { group: string; version: string }): string =>
  def.group === "" ? def.version : `${def.group}/${def.version}`;
