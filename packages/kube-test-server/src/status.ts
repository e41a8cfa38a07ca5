import type { FieldCause, ResourceDef } from "./types.ts";

/** A Kubernetes `Status` failure, thrown by handlers and written as the response body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

const qualified = (def: ResourceDef): string => (def.group === "" ? def.resource : `${def.resource}.${def.group}`);

const detailsFor = (def: ResourceDef, name: string): Record<string, unknown> => ({
  name,
  ...(def.group === "" ? {} : { group: def.group }),
  kind: def.resource,
});

export const notFound = (def: ResourceDef, name: string): ApiError =>
  new ApiError(404, "NotFound", `${qualified(def)} "${name}" not found`, detailsFor(def, name));

export const alreadyExists = (def: ResourceDef, name: string): ApiError =>
  new ApiError(409, "AlreadyExists", `${qualified(def)} "${name}" already exists`, detailsFor(def, name));

export const conflict = (def: ResourceDef, name: string, why?: string): ApiError =>
  new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(def)} "${name}": ${
      why ?? "the object has been modified; please apply your changes to the latest version and try again"
    }`,
    detailsFor(def, name),
  );

export const invalid = (def: ResourceDef, name: string, causes: FieldCause[]): ApiError => {
  const kind = def.group === "" ? def.kind : `${def.kind}.${def.group}`;
  const summary = causes.map((c) => `${c.field}: ${c.message}`);
  const text = summary.length === 1 ? summary[0] : `[${summary.join(", ")}]`;
  return new ApiError(422, "Invalid", `${kind} "${name}" is invalid: ${text}`, {
    name,
    ...(def.group === "" ? {} : { group: def.group }),
    kind: def.kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
};

export const badRequest = (message: string): ApiError => new ApiError(400, "BadRequest", message);

export const pathNotFound = (): ApiError =>
  new ApiError(404, "NotFound", "the server could not find the requested resource", {});

export const methodNotAllowed = (method: string): ApiError =>
  new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`);

export const unsupportedMediaType = (contentType: string): ApiError =>
  new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );

export const unauthorized = (): ApiError => new ApiError(401, "Unauthorized", "Unauthorized");

export const expired = (message: string): ApiError => new ApiError(410, "Expired", message);

/** Field cause helpers with the wording the API server uses. */
export const causes = {
  required: (field: string): FieldCause => ({ reason: "FieldValueRequired", message: "Required value", field }),
  invalid: (field: string, value: unknown, detail: string): FieldCause => ({
    reason: "FieldValueInvalid",
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field,
  }),
  notSupported: (field: string, value: unknown, allowed: unknown[]): FieldCause => ({
    reason: "FieldValueNotSupported",
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
    field,
  }),
  typeInvalid: (field: string, value: unknown, type: string): FieldCause => ({
    reason: "FieldValueTypeInvalid",
    message: `Invalid value: ${JSON.stringify(jsonTypeOf(value))}: ${field} in body must be of type ${type}: ${JSON.stringify(jsonTypeOf(value))}`,
    field,
  }),
  forbidden: (field: string, detail: string): FieldCause => ({
    reason: "FieldValueForbidden",
    message: `Forbidden: ${detail}`,
    field,
  }),
  tooLong: (field: string, max: number): FieldCause => ({
    reason: "FieldValueTooLong",
    message: `Too long: may not be more than ${max} bytes`,
    field,
  }),
  tooMany: (field: string, max: number): FieldCause => ({
    reason: "FieldValueTooMany",
    message: `Too many: must have at most ${max} items`,
    field,
  }),
};

export const jsonTypeOf = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
};
