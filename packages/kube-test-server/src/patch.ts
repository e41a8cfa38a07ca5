import { badRequest, ApiError } from "./status.ts";
import { isPlainObject } from "./schema-validation.ts";

/** RFC 7386 JSON merge patch. */
export const applyMergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
};

const decodePointer = (pointer: string): string[] => {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw badRequest(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
};

type Op = { op: string; path: string; value?: unknown; from?: string };

const parentOf = (doc: unknown, tokens: string[], op: string): [unknown, string] => {
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(t)];
    else if (isPlainObject(node)) node = node[t];
    else node = undefined;
    if (node === undefined) throw jsonPatchError(op, `missing path`);
  }
  return [node, tokens[tokens.length - 1]!];
};

const jsonPatchError = (op: string, why: string): ApiError =>
  new ApiError(
    422,
    "Invalid",
    `the server rejected our request due to an error in our request: ${op} operation does not apply: ${why}`,
  );

const getAt = (doc: unknown, tokens: string[], op: string): unknown => {
  let node = doc;
  for (const t of tokens) {
    if (Array.isArray(node)) node = node[Number(t)];
    else if (isPlainObject(node)) node = Object.hasOwn(node, t) ? node[t] : undefined;
    else node = undefined;
    if (node === undefined) throw jsonPatchError(op, `doc is missing path: "/${tokens.join("/")}"`);
  }
  return node;
};

const removeAt = (doc: unknown, tokens: string[], op: string): unknown => {
  const [parent, last] = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw jsonPatchError(op, `index out of range`);
    return parent.splice(i, 1)[0];
  }
  if (isPlainObject(parent) && Object.hasOwn(parent, last)) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw jsonPatchError(op, `doc is missing path: "/${tokens.join("/")}": missing value`);
};

const addAt = (doc: unknown, tokens: string[], value: unknown, op: string, replace: boolean): unknown => {
  if (tokens.length === 0) return value;
  const [parent, last] = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    if (last === "-" && !replace) parent.push(value);
    else {
      const i = Number(last);
      const max = replace ? parent.length - 1 : parent.length;
      if (!Number.isInteger(i) || i < 0 || i > max) throw jsonPatchError(op, `index out of range`);
      parent.splice(i, replace ? 1 : 0, value);
    }
  } else if (isPlainObject(parent)) {
    if (replace && !Object.hasOwn(parent, last)) throw jsonPatchError(op, `doc is missing key: /${tokens.join("/")}`);
    parent[last] = value;
  } else throw jsonPatchError(op, `doc is missing path: "/${tokens.join("/")}"`);
  return doc;
};

/** RFC 6902 JSON patch. */
export const applyJsonPatch = (target: unknown, patch: unknown): unknown => {
  if (!Array.isArray(patch)) throw badRequest("json patch must be an array of operations");
  let doc = structuredClone(target);
  for (const raw of patch as Op[]) {
    if (!isPlainObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw badRequest("invalid json patch operation");
    }
    const tokens = decodePointer(raw.path);
    switch (raw.op) {
      case "add":
        doc = addAt(doc, tokens, structuredClone(raw.value), "add", false);
        break;
      case "replace":
        if (tokens.length === 0) doc = structuredClone(raw.value);
        else doc = addAt(doc, tokens, structuredClone(raw.value), "replace", true);
        break;
      case "remove":
        removeAt(doc, tokens, "remove");
        break;
      case "move": {
        const value = removeAt(doc, decodePointer(raw.from ?? ""), "move");
        doc = addAt(doc, tokens, value, "move", false);
        break;
      }
      case "copy": {
        const value = structuredClone(getAt(doc, decodePointer(raw.from ?? ""), "copy"));
        doc = addAt(doc, tokens, value, "copy", false);
        break;
      }
      case "test": {
        const value = getAt(doc, tokens, "test");
        if (JSON.stringify(value) !== JSON.stringify(raw.value)) throw jsonPatchError("test", "testing value failed");
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
};

/** Merge keys of the built-in types' associative lists (from their `patchMergeKey` tags). */
const MERGE_KEYS: Record<string, string[]> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  env: ["name"],
  volumes: ["name"],
  volumeMounts: ["mountPath"],
  imagePullSecrets: ["name"],
  conditions: ["type"],
  ownerReferences: ["uid"],
  ports: ["containerPort", "port"],
};

const mergeKeyFor = (field: string, items: unknown[]): string | undefined => {
  const keys = MERGE_KEYS[field];
  if (!keys) return undefined;
  return keys.find((k) => items.some((i) => isPlainObject(i) && i[k] !== undefined));
};

/** Strategic merge patch for built-in types: merge patch plus keyed list merges and `$patch` directives. */
export const applyStrategicMergePatch = (target: unknown, patch: unknown, field = ""): unknown => {
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _ignored, ...rest } = patch;
    return stripDirectives(rest);
  }
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (
      key.startsWith("$setElementOrder/") ||
      key.startsWith("$deleteFromPrimitiveList/") ||
      key === "$retainKeys" ||
      key === "$patch"
    ) {
      continue;
    }
    if (value === null) delete out[key];
    else if (Array.isArray(value) && Array.isArray(out[key])) out[key] = mergeList(out[key] as unknown[], value, key);
    else out[key] = applyStrategicMergePatch(out[key], value, key);
  }
  for (const key of Object.keys(patch)) {
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const name = key.slice("$deleteFromPrimitiveList/".length);
      const remove = patch[key] as unknown[];
      if (Array.isArray(out[name])) out[name] = (out[name] as unknown[]).filter((v) => !remove.includes(v));
    }
  }
  void field;
  return out;
};

const stripDirectives = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("$")) out[k] = stripDirectives(v);
  return out;
};

const mergeList = (live: unknown[], patch: unknown[], field: string): unknown[] => {
  const key = mergeKeyFor(field, [...live, ...patch]);
  if (!key) return patch.map(stripDirectives);
  const out = [...live];
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const idx = out.findIndex((l) => isPlainObject(l) && l[key] === item[key]);
    if (item.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
    } else if (idx >= 0) out[idx] = applyStrategicMergePatch(out[idx], item, field);
    else out.push(stripDirectives(item));
  }
  return out;
};
