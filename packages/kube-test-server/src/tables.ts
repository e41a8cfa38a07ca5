import type { KubeObject, PrinterColumn, ResourceDef } from "./types.ts";

/** Evaluates the JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[?(@.k=="v")].b`. */
export const evaluateJsonPath = (obj: unknown, path: string): unknown => {
  const tokens = path.match(/\.[^.[\]]+|\[\?\(@\.[^=]+==["'][^"']*["']\)\]|\[\d+\]/g) ?? [];
  let nodes: unknown[] = [obj];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (token.startsWith(".")) {
        if (node && typeof node === "object" && !Array.isArray(node)) {
          const v = (node as Record<string, unknown>)[token.slice(1)];
          if (v !== undefined) next.push(v);
        }
      } else if (token.startsWith("[?")) {
        const m = /^\[\?\(@\.([^=]+)==["']([^"']*)["']\)\]$/.exec(token)!;
        if (Array.isArray(node)) {
          for (const item of node)
            if (item && typeof item === "object" && String((item as Record<string, unknown>)[m[1]!]) === m[2])
              next.push(item);
        }
      } else if (Array.isArray(node)) {
        const v = node[Number(token.slice(1, -1))];
        if (v !== undefined) next.push(v);
      }
    }
    nodes = next;
  }
  return nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : nodes;
};

/** Human age as kubectl prints it (`5s`, `3m`, `2h`, `4d`). */
export const humanAge = (timestamp: string | undefined, now = Date.now()): string => {
  if (!timestamp) return "<unknown>";
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
};

const cellOf = (column: PrinterColumn, obj: KubeObject): unknown => {
  const value = evaluateJsonPath(obj, column.jsonPath);
  if (column.type === "date") return humanAge(typeof value === "string" ? value : undefined);
  if (column.name === "Data" && value && typeof value === "object") return Object.keys(value).length;
  if (column.name === "Data" && value === undefined) return 0;
  if (value === undefined) return null;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
};

const columnsOf = (def: ResourceDef): PrinterColumn[] =>
  def.printerColumns.length > 0
    ? def.printerColumns
    : [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }];

const rowOf = (def: ResourceDef, obj: KubeObject) => ({
  cells: [obj.metadata.name, ...columnsOf(def).map((c) => cellOf(c, obj))],
  object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata },
});

/** A `meta.k8s.io/v1` Table for `kubectl get` (headers omitted for watch events after the first). */
export const renderTable = (
  def: ResourceDef,
  objects: KubeObject[],
  resourceVersion: string | undefined,
  headers: boolean,
) => ({
  kind: "Table",
  apiVersion: "meta.k8s.io/v1",
  metadata: resourceVersion ? { resourceVersion } : {},
  ...(headers
    ? {
        columnDefinitions: [
          {
            name: "Name",
            type: "string",
            format: "name",
            description: "Name must be unique within a namespace.",
            priority: 0,
          },
          ...columnsOf(def).map((c) => ({
            name: c.name,
            type: c.type === "date" ? "string" : c.type,
            format: "",
            description: c.description ?? "",
            priority: c.priority ?? 0,
          })),
        ],
      }
    : {}),
  rows: objects.map((o) => rowOf(def, o)),
});
