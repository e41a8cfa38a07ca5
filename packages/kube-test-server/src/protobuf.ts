import { unsupportedMediaType, badRequest } from "./status.ts";
import type { KubeObject, ResourceDef } from "./types.ts";

/**
 * A minimal decoder of Kubernetes' protobuf wire format (`application/vnd.kubernetes.protobuf`) for the
 * objects `kubectl create namespace|configmap|secret|serviceaccount` send that way.
 */
type Field = { num: number; wire: number; value: bigint | Buffer };

const readVarint = (buf: Buffer, pos: number): [bigint, number] => {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw badRequest("truncated protobuf varint");
    const byte = buf[pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
};

const fieldsOf = (buf: Buffer): Field[] => {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ num, wire, value: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      out.push({ num, wire, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      out.push({ num, wire, value: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ num, wire, value: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else throw badRequest(`unsupported protobuf wire type ${wire}`);
  }
  return out;
};

const str = (f: Field) => (f.value as Buffer).toString("utf8");

const mapOf = (fields: Field[], num: number, bytes: boolean): Record<string, string> | undefined => {
  const entries = fields.filter((f) => f.num === num);
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = fieldsOf(e.value as Buffer);
    const k = kv.find((f) => f.num === 1);
    const v = kv.find((f) => f.num === 2);
    out[k ? str(k) : ""] = v ? (bytes ? (v.value as Buffer).toString("base64") : str(v)) : "";
  }
  return out;
};

const decodeMeta = (buf: Buffer): KubeObject["metadata"] => {
  const f = fieldsOf(buf);
  const one = (n: number) => f.find((x) => x.num === n);
  const meta: KubeObject["metadata"] = {};
  if (one(1)) meta.name = str(one(1)!);
  if (one(2)) meta.generateName = str(one(2)!);
  if (one(3)) meta.namespace = str(one(3)!);
  const labels = mapOf(f, 11, false);
  if (labels) meta.labels = labels;
  const annotations = mapOf(f, 12, false);
  if (annotations) meta.annotations = annotations;
  const finalizers = f.filter((x) => x.num === 14).map(str);
  if (finalizers.length) meta.finalizers = finalizers;
  return meta;
};

/** Decodes a protobuf request body into the JSON object the rest of the server handles. */
export const decodeProtobufObject = (def: ResourceDef, raw: Buffer): KubeObject => {
  if (raw.subarray(0, 4).toString("latin1") !== "k8s\u0000") throw badRequest("protobuf body lacks the k8s envelope");
  const unknown = fieldsOf(raw.subarray(4));
  const payload = unknown.find((f) => f.num === 2)?.value as Buffer | undefined;
  if (!payload) throw badRequest("protobuf envelope has no object");
  const fields = fieldsOf(payload);
  const metaField = fields.find((f) => f.num === 1);
  const obj: KubeObject = {
    apiVersion: def.group === "" ? def.version : `${def.group}/${def.version}`,
    kind: def.kind,
    metadata: metaField ? decodeMeta(metaField.value as Buffer) : {},
  };
  switch (def.resource) {
    case "namespaces":
    case "serviceaccounts":
      return obj;
    case "configmaps": {
      const data = mapOf(fields, 2, false);
      if (data) obj.data = data;
      const binary = mapOf(fields, 3, true);
      if (binary) obj.binaryData = binary;
      return obj;
    }
    case "secrets": {
      const data = mapOf(fields, 2, true);
      if (data) obj.data = data;
      const type = fields.find((f) => f.num === 3);
      if (type) obj.type = str(type);
      const stringData = mapOf(fields, 4, false);
      if (stringData) obj.stringData = stringData;
      return obj;
    }
    default:
      throw unsupportedMediaType("application/vnd.kubernetes.protobuf");
  }
};
