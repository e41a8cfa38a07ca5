import { causes, jsonTypeOf } from "./status.ts";
import type { FieldCause, JsonSchema } from "./types.ts";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

const typeMatches = (schema: JsonSchema, value: unknown): boolean => {
  if (value === null) return schema.nullable === true;
  if (schema["x-kubernetes-int-or-string"]) return typeof value === "string" || Number.isInteger(value);
  switch (schema.type) {
    case undefined:
      return true;
    case "object":
      return isPlainObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    default:
      return true;
  }
};

/** Removes fields the schema does not know (as the API server prunes), returning their paths. */
export const pruneUnknownFields = (value: unknown, schema: JsonSchema | undefined, path = ""): string[] => {
  if (!schema || (schema["x-kubernetes-preserve-unknown-fields"] === true && !schema.properties)) return [];
  const unknown: string[] = [];
  if (isPlainObject(value)) {
    const props = schema.properties;
    const additional = schema.additionalProperties;
    for (const key of Object.keys(value)) {
      if (path === "" && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
      const child = props?.[key];
      if (child) {
        if (!child["x-kubernetes-embedded-resource"])
          unknown.push(...pruneUnknownFields(value[key], child, join(path, key)));
      } else if (isPlainObject(additional)) {
        unknown.push(...pruneUnknownFields(value[key], additional, join(path, key)));
      } else if (additional === true || schema["x-kubernetes-preserve-unknown-fields"] === true) {
        // kept as it is
      } else if (props !== undefined || additional === false) {
        unknown.push(join(path, key));
        delete value[key];
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      unknown.push(...pruneUnknownFields(item, schema.items, `${path}[${i}]`));
    });
  }
  return unknown;
};

/** Fills in `default` values for absent properties of present objects. */
export const applyDefaults = (value: unknown, schema: JsonSchema | undefined): void => {
  if (!schema) return;
  if (isPlainObject(value) && schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) {
      if (value[key] === undefined && child.default !== undefined) value[key] = structuredClone(child.default);
      if (value[key] !== undefined) applyDefaults(value[key], child);
    }
  } else if (Array.isArray(value) && schema.items) {
    for (const item of value) applyDefaults(item, schema.items);
  }
};

/** Validates a value against a structural schema, returning causes worded like the API server's. */
export const validateSchema = (value: unknown, schema: JsonSchema | undefined, path = ""): FieldCause[] => {
  if (!schema) return [];
  const field = path === "" ? "<root>" : path;
  if (!typeMatches(schema, value)) {
    const type = schema["x-kubernetes-int-or-string"] ? "integer or string" : String(schema.type);
    return [causes.typeInvalid(field, value, type)];
  }
  if (value === null) return [];
  const out: FieldCause[] = [];
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push(causes.notSupported(field, value, schema.enum));
  }
  if (typeof value === "number") {
    if (schema.maximum !== undefined) {
      const bad = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
      if (bad)
        out.push(
          causes.invalid(
            field,
            value,
            `${field} in body should be less than ${schema.exclusiveMaximum ? "" : "or equal to "}${schema.maximum}`,
          ),
        );
    }
    if (schema.minimum !== undefined) {
      const bad = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
      if (bad)
        out.push(
          causes.invalid(
            field,
            value,
            `${field} in body should be greater than ${schema.exclusiveMinimum ? "" : "or equal to "}${schema.minimum}`,
          ),
        );
    }
  }
  if (typeof value === "string") {
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      out.push(causes.tooLong(field, schema.maxLength));
    }
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      out.push(causes.invalid(field, value, `${field} in body should be at least ${schema.minLength} chars long`));
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
      out.push(causes.invalid(field, value, `${field} in body should match '${schema.pattern}'`));
    }
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) {
      out.push(causes.invalid(field, value, `${field} in body must be of type date-time: ${JSON.stringify(value)}`));
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      out.push(causes.tooMany(field, schema.maxItems));
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      out.push(causes.invalid(field, value, `${field} in body should have at least ${schema.minItems} items`));
    }
    value.forEach((item, i) => {
      out.push(...validateSchema(item, schema.items, `${path}[${i}]`));
    });
    const listType = schema["x-kubernetes-list-type"];
    if (listType === "set" || listType === "map") {
      const keys = schema["x-kubernetes-list-map-keys"] ?? [];
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const id =
          listType === "set"
            ? JSON.stringify(item)
            : JSON.stringify(keys.map((k) => (isPlainObject(item) ? item[k] : undefined)));
        if (seen.has(id)) {
          out.push({ reason: "FieldValueDuplicate", message: `Duplicate value: ${id}`, field: `${path}[${i}]` });
        }
        seen.add(id);
      });
    }
  }
  if (isPlainObject(value)) {
    for (const req of schema.required ?? []) {
      if (value[req] === undefined) out.push(causes.required(join(path, req)));
    }
    if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) {
      out.push(causes.tooMany(field, schema.maxProperties));
    }
    for (const [key, child] of Object.entries(value)) {
      if (path === "" && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
      const sub =
        schema.properties?.[key] ??
        (isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (sub && !sub["x-kubernetes-embedded-resource"]) out.push(...validateSchema(child, sub, join(path, key)));
    }
  }
  return out;
};

export { isPlainObject, jsonTypeOf };
