import { badRequest } from "./status.ts";
import type { KubeObject } from "./types.ts";

type Requirement =
  | { key: string; op: "exists" | "notexists" }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "=" | "!="; value: string };

export type LabelSelector = (labels: Record<string, string> | undefined) => boolean;
export type FieldSelector = (obj: KubeObject) => boolean;

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
const splitTerms = (text: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== "");
};

const parseRequirement = (term: string): Requirement => {
  let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const values = m[3]!
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return { key: m[1]!, op: m[2] as "in" | "notin", values };
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", value: m[3]! };
  m = /^!\s*(\S+)$/.exec(term);
  if (m) return { key: m[1]!, op: "notexists" };
  if (/^[A-Za-z0-9_./-]+$/.test(term)) return { key: term, op: "exists" };
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
};

/** Parses a label selector (`k=v,k!=v,k in (a,b),k notin (a),k,!k`). */
export const parseLabelSelector = (text: string | null | undefined): LabelSelector => {
  if (!text) return () => true;
  const reqs = splitTerms(text).map(parseRequirement);
  return (labels) =>
    reqs.every((r) => {
      const has = labels !== undefined && Object.hasOwn(labels, r.key);
      const value = has ? labels![r.key] : undefined;
      switch (r.op) {
        case "exists":
          return has;
        case "notexists":
          return !has;
        case "=":
          return has && value === r.value;
        case "!=":
          return !has || value !== r.value;
        case "in":
          return has && r.values.includes(value!);
        case "notin":
          return !has || !r.values.includes(value!);
      }
      return false;
    });
};

const FIELD_GETTERS: Record<string, (obj: KubeObject) => string | undefined> = {
  "metadata.name": (o) => o.metadata.name,
  "metadata.namespace": (o) => o.metadata.namespace ?? "",
};

/** Parses a field selector; only metadata.name and metadata.namespace are supported, as for most types. */
export const parseFieldSelector = (text: string | null | undefined): FieldSelector => {
  if (!text) return () => true;
  const checks = splitTerms(text).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    const getter = FIELD_GETTERS[m[1]!];
    if (!getter) throw badRequest(`field label not supported: ${m[1]}`);
    const negate = m[2] === "!=";
    const want = m[3]!;
    return (o: KubeObject) => (getter(o) === want) !== negate;
  });
  return (obj) => checks.every((c) => c(obj));
};
