import { isPlainObject } from "./schema-validation.ts";
import { ApiError } from "./status.ts";
import type { FieldsV1, JsonSchema, KubeObject, ManagedFieldsEntry } from "./types.ts";

/**
 * Field ownership for server-side apply (FieldsV1). A field set is a set of paths; each path is a JSON
 * array of path elements: `f:<field>`, `k:{<keys>}` (an item of a keyed list), `v:<json>` (an item of a
 * set), and "." (the list item itself).
 */
export type FieldPath = string[];
type PathSet = Set<string>;

const BUILTIN_MAP_LISTS: Record<string, string[]> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  env: ["name"],
  volumes: ["name"],
  volumeMounts: ["mountPath"],
  imagePullSecrets: ["name"],
  conditions: ["type"],
  ownerReferences: ["uid"],
};
const BUILTIN_SET_LISTS = new Set(["finalizers"]);
const METADATA_FIELDS = new Set(["labels", "annotations", "finalizers", "ownerReferences"]);

type ListKind = { type: "atomic" } | { type: "set" } | { type: "map"; keys: string[] };

const listKind = (schema: JsonSchema | undefined, field: string, items: unknown[]): ListKind => {
  const t = schema?.["x-kubernetes-list-type"];
  if (t === "set") return { type: "set" };
  if (t === "map") return { type: "map", keys: schema?.["x-kubernetes-list-map-keys"] ?? ["name"] };
  if (t === "atomic") return { type: "atomic" };
  if (BUILTIN_SET_LISTS.has(field)) return { type: "set" };
  const keys = BUILTIN_MAP_LISTS[field];
  if (keys && items.every((i) => isPlainObject(i) && keys.every((k) => i[k] !== undefined)))
    return { type: "map", keys };
  if (
    field === "ports" &&
    items.every((i) => isPlainObject(i) && (i.port !== undefined || i.containerPort !== undefined))
  ) {
    const k = items.some((i) => isPlainObject(i) && i.containerPort !== undefined) ? "containerPort" : "port";
    return { type: "map", keys: [k] };
  }
  return { type: "atomic" };
};

const childSchema = (schema: JsonSchema | undefined, key: string): JsonSchema | undefined => {
  if (!schema) return undefined;
  return (
    schema.properties?.[key] ?? (isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined)
  );
};

const itemKey = (item: unknown, keys: string[]): string => {
  const picked: Record<string, unknown> = {};
  for (const k of keys) picked[k] = isPlainObject(item) ? item[k] : undefined;
  return `k:${JSON.stringify(picked)}`;
};

const collect = (value: unknown, schema: JsonSchema | undefined, field: string, prefix: FieldPath, out: PathSet) => {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix.length > 0) out.add(JSON.stringify(prefix));
    for (const key of keys) collect(value[key], childSchema(schema, key), key, [...prefix, `f:${key}`], out);
    return;
  }
  if (Array.isArray(value)) {
    const kind = listKind(schema, field, value);
    if (kind.type === "atomic") out.add(JSON.stringify(prefix));
    else if (kind.type === "set") for (const v of value) out.add(JSON.stringify([...prefix, `v:${JSON.stringify(v)}`]));
    else
      for (const item of value) {
        const elem = [...prefix, itemKey(item, kind.keys)];
        out.add(JSON.stringify([...elem, "."]));
        collect(item, schema?.items, "", elem, out);
      }
    return;
  }
  out.add(JSON.stringify(prefix));
};

/** The fields an object sets, as ownership paths (identity metadata and optionally status left out). */
export const fieldSetOf = (
  obj: KubeObject,
  schema: JsonSchema | undefined,
  part: "main" | "status" | "all",
): PathSet => {
  const out: PathSet = new Set();
  for (const [key, value] of Object.entries(obj)) {
    if (key === "apiVersion" || key === "kind") continue;
    if (key === "metadata") {
      if (!isPlainObject(value) || part === "status") continue;
      for (const [mk, mv] of Object.entries(value)) {
        if (METADATA_FIELDS.has(mk)) collect(mv, undefined, mk, ["f:metadata", `f:${mk}`], out);
      }
      continue;
    }
    if (part === "status" && key !== "status") continue;
    if (part === "main" && key === "status") continue;
    collect(value, childSchema(schema, key), key, [`f:${key}`], out);
  }
  return out;
};

/** Converts a path set to the nested FieldsV1 form stored in managedFields. */
export const toFieldsV1 = (set: PathSet): FieldsV1 => {
  const root: FieldsV1 = {};
  for (const raw of [...set].sort()) {
    let node = root;
    for (const elem of JSON.parse(raw) as string[]) {
      node[elem] ??= {};
      node = node[elem]!;
    }
  }
  return root;
};

/** Converts stored FieldsV1 back to a path set (leaves only). */
export const fromFieldsV1 = (
  fields: FieldsV1 | undefined,
  prefix: FieldPath = [],
  out: PathSet = new Set(),
): PathSet => {
  if (!fields) return out;
  for (const [key, sub] of Object.entries(fields)) {
    const path = [...prefix, key];
    if (key === "." || Object.keys(sub).length === 0) out.add(JSON.stringify(path));
    else fromFieldsV1(sub, path, out);
  }
  return out;
};

const findItem = (list: unknown[], elem: string): number => {
  if (elem.startsWith("k:")) {
    const keys = JSON.parse(elem.slice(2)) as Record<string, unknown>;
    return list.findIndex(
      (i) => isPlainObject(i) && Object.entries(keys).every(([k, v]) => JSON.stringify(i[k]) === JSON.stringify(v)),
    );
  }
  if (elem.startsWith("v:")) {
    const v = elem.slice(2);
    return list.findIndex((i) => JSON.stringify(i) === v);
  }
  return -1;
};

/** The value at an ownership path, or undefined. */
export const valueAt = (obj: unknown, path: FieldPath): unknown => {
  let node: unknown = obj;
  for (const elem of path) {
    if (elem === ".") continue;
    if (elem.startsWith("f:")) node = isPlainObject(node) ? node[elem.slice(2)] : undefined;
    else if (Array.isArray(node)) node = node[findItem(node, elem)];
    else node = undefined;
    if (node === undefined) return undefined;
  }
  return node;
};

/** Removes the field (or list item) at an ownership path. */
export const removeAt = (obj: unknown, path: FieldPath): void => {
  const target = path[path.length - 1] === "." ? path.slice(0, -1) : path;
  const parent = valueAt(obj, target.slice(0, -1));
  const last = target[target.length - 1];
  if (last === undefined) return;
  if (last.startsWith("f:") && isPlainObject(parent)) delete parent[last.slice(2)];
  else if (Array.isArray(parent)) {
    const i = findItem(parent, last);
    if (i >= 0) parent.splice(i, 1);
  }
};

/** Merges an applied configuration into the live object (maps merge, keyed lists merge by key). */
export const mergeApplied = (
  live: unknown,
  applied: unknown,
  schema: JsonSchema | undefined,
  field: string,
): unknown => {
  if (isPlainObject(applied)) {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(applied))
      out[key] = mergeApplied(out[key], value, childSchema(schema, key), key);
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const kind = listKind(schema, field, [...live, ...applied]);
    if (kind.type === "set")
      return [...live, ...applied.filter((a) => !live.some((l) => JSON.stringify(l) === JSON.stringify(a)))];
    if (kind.type === "map") {
      const out = [...live];
      for (const item of applied) {
        const i = findItem(out, itemKey(item, kind.keys));
        if (i >= 0) out[i] = mergeApplied(out[i], item, schema?.items, "");
        else out.push(structuredClone(item));
      }
      return out;
    }
  }
  return structuredClone(applied);
};

const renderPath = (path: FieldPath): string =>
  path
    .map((e) => {
      if (e.startsWith("f:")) return `.${e.slice(2)}`;
      if (e.startsWith("k:")) {
        const keys = JSON.parse(e.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(",")}]`;
      }
      if (e.startsWith("v:")) return `[=${e.slice(2)}]`;
      return "";
    })
    .join("");

const sameEntry = (e: ManagedFieldsEntry, manager: string, operation: string, subresource: string | undefined) =>
  e.manager === manager && e.operation === operation && (e.subresource ?? "") === (subresource ?? "");

const now = () => `${new Date().toISOString().slice(0, 19)}Z`;

type Ownership = { entry: ManagedFieldsEntry; set: PathSet };

const ownershipOf = (entries: ManagedFieldsEntry[] | undefined): Ownership[] =>
  (entries ?? []).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));

const toEntries = (owners: Ownership[]): ManagedFieldsEntry[] =>
  owners.filter((o) => o.set.size > 0).map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.set) }));

const isUnder = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix.slice(0, -1)},`);

/**
 * Server-side apply: merges `applied` into `live` for `manager`, refusing (409) to change fields other
 * managers own unless `force`, and removing fields the manager stopped applying that no one else owns.
 */
export const serverSideApply = (options: {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  schema: JsonSchema | undefined;
  apiVersion: string;
  subresource: "status" | undefined;
  hasStatus: boolean;
}): KubeObject => {
  const { live, applied, manager, force, schema, subresource } = options;
  const part = subresource === "status" ? "status" : options.hasStatus ? "main" : "all";
  const appliedSet = fieldSetOf(applied, schema, part);
  const owners = ownershipOf(live?.metadata.managedFields);
  const conflicts: { manager: string; path: string }[] = [];
  for (const other of owners) {
    if (other.entry.manager === manager) continue;
    for (const p of appliedSet) {
      if (!other.set.has(p)) continue;
      const path = JSON.parse(p) as FieldPath;
      if (JSON.stringify(valueAt(live, path)) !== JSON.stringify(valueAt(applied, path))) {
        if (force) other.set.delete(p);
        else conflicts.push({ manager: other.entry.manager, path: renderPath(path) });
      }
    }
  }
  if (conflicts.length > 0) throw applyConflict(conflicts, options.apiVersion);
  const mine = owners.find((o) => sameEntry(o.entry, manager, "Apply", subresource));
  const previous = mine?.set ?? new Set<string>();
  const base: Record<string, unknown> = structuredClone(live ?? { metadata: {} });
  const appliedBody: Record<string, unknown> = { ...structuredClone(applied) };
  delete appliedBody.apiVersion;
  delete appliedBody.kind;
  if (part === "main") delete appliedBody.status;
  if (part === "status") {
    for (const k of Object.keys(appliedBody)) if (k !== "status") delete appliedBody[k];
  } else if (isPlainObject(appliedBody.metadata)) {
    const m = appliedBody.metadata;
    for (const k of Object.keys(m)) if (!METADATA_FIELDS.has(k) && k !== "name" && k !== "namespace") delete m[k];
  }
  const merged = mergeApplied(base, appliedBody, schema, "") as KubeObject;
  const others = owners.filter((o) => o !== mine);
  for (const p of previous) {
    if (appliedSet.has(p)) continue;
    if (others.some((o) => [...o.set].some((q) => isUnder(q, p)))) continue;
    removeAt(merged, JSON.parse(p) as FieldPath);
  }
  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Apply",
    apiVersion: options.apiVersion,
    time: now(),
    fieldsType: "FieldsV1",
    fieldsV1: {},
    ...(subresource ? { subresource } : {}),
  };
  const next = [...others, { entry, set: appliedSet }];
  merged.metadata.managedFields = toEntries(next);
  return merged;
};

const applyConflict = (conflicts: { manager: string; path: string }[], apiVersion: string): ApiError => {
  const n = conflicts.length;
  const message =
    n === 1
      ? `Apply failed with 1 conflict: conflict with "${conflicts[0]!.manager}" using ${apiVersion}: ${conflicts[0]!.path}`
      : `Apply failed with ${n} conflicts: ${conflicts.map((c) => `conflict with "${c.manager}" using ${apiVersion}: ${c.path}`).join("\n")}`;
  return new ApiError(409, "Conflict", message, {
    causes: conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with "${c.manager}" using ${apiVersion}`,
      field: c.path,
    })),
  });
};

/**
 * Records an ordinary write (create, update, patch): the fields it changed now belong to `manager`
 * (operation Update), taken from any other owner without conflict; removed fields leave every owner.
 */
export const recordUpdate = (options: {
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  schema: JsonSchema | undefined;
  apiVersion: string;
  subresource: "status" | undefined;
  hasStatus: boolean;
}): void => {
  const { before, after, manager, schema, subresource } = options;
  const part = subresource === "status" ? "status" : options.hasStatus ? "main" : "all";
  const oldSet = before ? fieldSetOf(before, schema, part) : new Set<string>();
  const newSet = fieldSetOf(after, schema, part);
  const owners = ownershipOf(before?.metadata.managedFields);
  const changed = [...newSet].filter((p) => {
    if (!oldSet.has(p)) return true;
    const path = JSON.parse(p) as FieldPath;
    return JSON.stringify(valueAt(before, path)) !== JSON.stringify(valueAt(after, path));
  });
  const removed = [...oldSet].filter((p) => !newSet.has(p));
  for (const o of owners) {
    for (const p of removed) o.set.delete(p);
    for (const p of changed) o.set.delete(p);
  }
  if (changed.length > 0) {
    let mine = owners.find((o) => sameEntry(o.entry, manager, "Update", subresource));
    if (!mine) {
      mine = {
        entry: {
          manager,
          operation: "Update",
          apiVersion: options.apiVersion,
          time: now(),
          fieldsType: "FieldsV1",
          fieldsV1: {},
          ...(subresource ? { subresource } : {}),
        },
        set: new Set(),
      };
      owners.push(mine);
    }
    mine.entry = { ...mine.entry, time: now() };
    for (const p of changed) mine.set.add(p);
  }
  const entries = toEntries(owners);
  if (entries.length > 0) after.metadata.managedFields = entries;
  else delete after.metadata.managedFields;
};
