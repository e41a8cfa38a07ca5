import { randomUUID } from "node:crypto";
import { applyBuiltinDefaults, validateName, validateObjectMeta } from "./builtin-resources.ts";
import { CRD_RESOURCE, crdStatus } from "./crd-resources.ts";
import { GATEWAY_API_CRDS } from "./gateway-api-crds.ts";
import { recordUpdate, serverSideApply } from "./managed-fields.ts";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch.ts";
import { ResourceRegistry, resourceKey } from "./resource-registry.ts";
import { applyDefaults, isPlainObject, pruneUnknownFields, validateSchema } from "./schema-validation.ts";
import {
  ApiError,
  alreadyExists,
  badRequest,
  causes,
  conflict,
  invalid,
  notFound,
  unsupportedMediaType,
} from "./status.ts";
import { ObjectStore, type WatchSink } from "./store.ts";
import { type FieldCause, groupVersion, type KubeObject, type ManagedFieldsEntry, type ResourceDef } from "./types.ts";

export type WriteOptions = {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: "Strict" | "Warn" | "Ignore";
  force: boolean;
};

export type WriteResult = { code: number; object: KubeObject; warnings: string[] };

export type DeleteOptions = {
  dryRun: boolean;
  propagationPolicy: string | undefined;
  preconditions: { uid?: string; resourceVersion?: string } | undefined;
};

export type PatchType = "merge" | "json" | "strategic" | "apply";

const NAMESPACE_DEF = (registry: ResourceRegistry) => registry.find("", "v1", "namespaces")!;

const timestamp = (): string => `${new Date().toISOString().slice(0, 19)}Z`;

const randomSuffix = (): string => {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  return Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
};

const withoutVolatile = (obj: KubeObject): unknown => {
  const { managedFields: _m, resourceVersion: _r, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
};

const sameContent = (a: KubeObject, b: KubeObject): boolean =>
  JSON.stringify(withoutVolatile(a)) === JSON.stringify(withoutVolatile(b));

const specPart = (obj: KubeObject, def: ResourceDef): string => {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(def.hasStatus ? rest : { ...rest, status });
};

/**
 * The API semantics of the test server, independent of HTTP: create, read, update, patch (merge, JSON,
 * strategic, server-side apply), delete with finalizers, watches, CRDs, namespaces and garbage collection.
 */
export class KubeApi {
  readonly registry = new ResourceRegistry();
  readonly store: ObjectStore;
  private nextIp = 10;

  constructor(options: { historyLimit: number }) {
    this.store = new ObjectStore(options.historyLimit);
    const system: WriteOptions = {
      dryRun: false,
      fieldManager: "kube-apiserver",
      fieldValidation: "Ignore",
      force: false,
    };
    const nsDef = NAMESPACE_DEF(this.registry);
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.create(nsDef, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } }, system);
    }
    for (const crd of GATEWAY_API_CRDS)
      this.create(CRD_RESOURCE, undefined, structuredClone(crd), { ...system, fieldManager: "gateway-api-install" });
    this.create(
      this.registry.find("", "v1", "services")!,
      "default",
      {
        metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
        spec: { ports: [{ name: "https", port: 443, targetPort: 6443 }] },
      },
      system,
    );
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(resourceKey(def), namespace, name);
    if (!obj) throw notFound(def, name);
    return this.present(def, obj);
  }

  list(
    def: ResourceDef,
    namespace: string | undefined,
    filter: (o: KubeObject) => boolean,
  ): { items: KubeObject[]; resourceVersion: string } {
    const items = this.store
      .list(resourceKey(def), namespace)
      .filter(filter)
      .map((o) => this.present(def, o));
    return { items, resourceVersion: String(this.store.currentRevision) };
  }

  watch(
    def: ResourceDef,
    namespace: string | undefined,
    filter: (o: KubeObject) => boolean,
    fromRevision: number | undefined,
    sink: WatchSink,
  ): () => void {
    return this.store.watch({ resourceKey: resourceKey(def), namespace, matches: filter }, fromRevision, (type, obj) =>
      sink(type, this.present(def, obj)),
    );
  }

  /** The object as served at the requested version (one storage shape; apiVersion/kind set). */
  present(def: ResourceDef, obj: KubeObject): KubeObject {
    const { apiVersion: _a, kind: _k, ...rest } = structuredClone(obj);
    return { apiVersion: groupVersion(def), kind: def.kind, ...rest };
  }

  private checkNamespace(def: ResourceDef, namespace: string | undefined, name: string): void {
    if (!def.namespaced) return;
    const ns = this.store.get("/namespaces", undefined, namespace!);
    if (!ns) throw notFound(NAMESPACE_DEF(this.registry), namespace!);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        "Forbidden",
        `${def.group === "" ? def.resource : `${def.resource}.${def.group}`} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name,
          ...(def.group === "" ? {} : { group: def.group }),
          kind: def.resource,
          causes: [
            {
              reason: "NamespaceTerminating",
              message: `namespace ${namespace} is being terminated`,
              field: "metadata.namespace",
            },
          ],
        },
      );
    }
  }

  /** Schema pruning, defaults and validation; returns warnings (unknown fields under Warn). */
  private validate(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): string[] {
    const warnings: string[] = [];
    if (def.strictSchema && def.schema) {
      const unknown = pruneUnknownFields(obj, def.schema);
      if (unknown.length > 0 && opts.fieldValidation === "Strict") {
        const list = unknown.map((u) => `unknown field "${u}"`);
        throw badRequest(
          `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${list.join(", ")}`,
        );
      }
      if (opts.fieldValidation === "Warn") warnings.push(...unknown.map((u) => `unknown field "${u}"`));
      applyDefaults(obj, def.schema);
    }
    const found: FieldCause[] = [];
    const name = obj.metadata.name ?? "";
    if (!old) found.push(...validateName(def, name));
    found.push(...validateObjectMeta(obj));
    if (def.strictSchema) found.push(...validateSchema(obj, def.schema));
    if (def.validate) found.push(...def.validate(obj));
    if (old?.metadata.deletionTimestamp) {
      const added = (obj.metadata.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length > 0)
        found.push(
          causes.forbidden(
            "metadata.finalizers",
            `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          ),
        );
    }
    if (found.length > 0) throw invalid(def, name, found);
    return warnings;
  }

  create(
    def: ResourceDef,
    namespace: string | undefined,
    body: unknown,
    opts: WriteOptions,
    appliedFields?: ManagedFieldsEntry[],
  ): WriteResult {
    if (!isPlainObject(body)) throw badRequest("the body of the request must be a JSON object");
    const obj = structuredClone(body) as KubeObject;
    if (!isPlainObject(obj.metadata)) obj.metadata = {};
    const meta = obj.metadata;
    if (def.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace;
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    if (!meta.name) throw invalid(def, "", [causes.required("metadata.name")]);
    const name = meta.name;
    this.checkNamespace(def, namespace, name);
    if (this.store.get(resourceKey(def), namespace, name)) throw alreadyExists(def, name);
    for (const key of [
      "uid",
      "resourceVersion",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
      "managedFields",
      "generation",
    ]) {
      delete meta[key];
    }
    obj.apiVersion = groupVersion(def);
    obj.kind = def.kind;
    if (def.hasStatus && def.isCustom) delete obj.status;
    applyBuiltinDefaults(def, obj, () => this.allocateIp());
    const warnings = this.validate(def, obj, undefined, opts);
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp();
    if (def.hasGeneration) meta.generation = 1;
    if (def === CRD_RESOURCE || def.resource === "customresourcedefinitions")
      obj.status = crdStatus(obj, meta.creationTimestamp);
    if (appliedFields) meta.managedFields = appliedFields;
    else
      recordUpdate({
        before: undefined,
        after: obj,
        manager: opts.fieldManager,
        schema: def.schema,
        apiVersion: groupVersion(def),
        subresource: undefined,
        hasStatus: false,
      });
    if (opts.dryRun) return { code: 201, object: this.present(def, obj), warnings };
    const stored = this.store.commit(resourceKey(def), "ADDED", obj, undefined);
    if (def.resource === "customresourcedefinitions" && def.group === "apiextensions.k8s.io")
      this.registry.setCrd(stored);
    return { code: 201, object: this.present(def, stored), warnings };
  }

  private allocateIp(): string {
    this.nextIp += 1;
    return `10.96.${Math.floor(this.nextIp / 250)}.${(this.nextIp % 250) + 1}`;
  }

  /**
   * Finishes any write to an existing object: keeps immutable metadata, enforces the status subresource,
   * validates, bumps generation, records field ownership, skips no-op writes, and completes deletion
   * when the last finalizer goes.
   */
  private writeExisting(
    def: ResourceDef,
    old: KubeObject,
    next: KubeObject,
    opts: WriteOptions,
    subresource: "status" | undefined,
    managed: "update" | "applied",
  ): WriteResult {
    const meta = next.metadata;
    const oldMeta = old.metadata;
    for (const key of [
      "uid",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
      "generation",
      "name",
      "namespace",
    ] as const) {
      if (oldMeta[key] === undefined) delete meta[key];
      else (meta as Record<string, unknown>)[key] = oldMeta[key];
    }
    if (!def.namespaced) delete meta.namespace;
    next.apiVersion = groupVersion(def);
    next.kind = def.kind;
    if (subresource === "status") {
      const status = next.status;
      const kept = structuredClone(old);
      kept.metadata = { ...kept.metadata, managedFields: meta.managedFields };
      if (status === undefined) delete kept.status;
      else kept.status = status;
      Object.keys(next).forEach((k) => {
        delete next[k];
      });
      Object.assign(next, kept);
    } else if (def.hasStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = structuredClone(old.status);
    }
    if (
      def.resource === "services" &&
      isPlainObject(next.spec) &&
      isPlainObject(old.spec) &&
      next.spec.clusterIP === undefined
    ) {
      next.spec.clusterIP = old.spec.clusterIP;
      next.spec.clusterIPs = old.spec.clusterIPs;
    }
    applyBuiltinDefaults(def, next, () => this.allocateIp());
    if (def.resource === "customresourcedefinitions" && def.group === "apiextensions.k8s.io") {
      next.status = crdStatus(next, String(oldMeta.creationTimestamp));
    }
    const warnings = this.validate(def, next, old, opts);
    if (def.hasGeneration && specPart(next, def) !== specPart(old, def))
      meta.generation = (oldMeta.generation ?? 1) + 1;
    if (managed === "update") {
      recordUpdate({
        before: old,
        after: next,
        manager: opts.fieldManager,
        schema: def.schema,
        apiVersion: groupVersion(def),
        subresource,
        hasStatus: def.hasStatus,
      });
    }
    if (
      sameContent(old, next) &&
      JSON.stringify(old.metadata.managedFields ?? []).replace(/"time":"[^"]*"/g, "") ===
        JSON.stringify(next.metadata.managedFields ?? []).replace(/"time":"[^"]*"/g, "")
    ) {
      return { code: 200, object: this.present(def, old), warnings };
    }
    if (opts.dryRun)
      return {
        code: 200,
        object: this.present(def, { ...next, metadata: { ...meta, resourceVersion: oldMeta.resourceVersion } }),
        warnings,
      };
    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0) {
      const removed = this.store.commit(resourceKey(def), "DELETED", next, old);
      this.afterRemoval(def, removed);
      return { code: 200, object: this.present(def, removed), warnings };
    }
    const stored = this.store.commit(resourceKey(def), "MODIFIED", next, old);
    if (def.resource === "customresourcedefinitions" && def.group === "apiextensions.k8s.io")
      this.registry.setCrd(stored);
    return { code: 200, object: this.present(def, stored), warnings };
  }

  update(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions,
    subresource: "status" | undefined,
  ): WriteResult {
    if (!isPlainObject(body)) throw badRequest("the body of the request must be a JSON object");
    const next = structuredClone(body) as KubeObject;
    if (!isPlainObject(next.metadata)) next.metadata = {};
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    }
    const old = this.store.get(resourceKey(def), namespace, name);
    if (!old) {
      if (subresource) throw notFound(def, name);
      return this.create(def, namespace, { ...next, metadata: { ...next.metadata, name } }, opts);
    }
    const rv = next.metadata.resourceVersion;
    if (rv === undefined || rv === "") {
      if (def.requireResourceVersionOnUpdate) {
        throw invalid(def, name, [
          causes.invalid("metadata.resourceVersion", "0x0", "must be specified for an update"),
        ]);
      }
    } else if (rv !== old.metadata.resourceVersion) throw conflict(def, name);
    if (subresource === undefined && next.metadata.managedFields === undefined)
      next.metadata.managedFields = old.metadata.managedFields;
    return this.writeExisting(def, old, next, opts, subresource, "update");
  }

  patch(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions,
    subresource: "status" | undefined,
  ): WriteResult {
    const old = this.store.get(resourceKey(def), namespace, name);
    if (type === "strategic" && def.isCustom) throw unsupportedMediaType("application/strategic-merge-patch+json");
    if (type === "apply") {
      if (!isPlainObject(patch)) throw badRequest("apply patch must be an object");
      const applied = structuredClone(patch) as KubeObject;
      if (!isPlainObject(applied.metadata)) applied.metadata = {};
      if (applied.metadata.managedFields !== undefined) throw badRequest("metadata.managedFields must be nil");
      if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
        throw badRequest(
          `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
      if (!applied.apiVersion || !applied.kind)
        throw badRequest("invalid object type: apiVersion and kind are required for an apply patch");
      const merged = serverSideApply({
        live: old,
        applied,
        manager: opts.fieldManager,
        force: opts.force,
        schema: def.schema,
        apiVersion: groupVersion(def),
        subresource,
        hasStatus: def.hasStatus,
      });
      if (!old) {
        if (subresource) throw notFound(def, name);
        merged.metadata.name = name;
        return this.create(def, namespace, merged, opts, merged.metadata.managedFields ?? []);
      }
      return this.writeExisting(def, old, merged, opts, subresource, "applied");
    }
    if (!old) throw notFound(def, name);
    let next: unknown;
    const base = structuredClone(old);
    if (type === "merge") next = applyMergePatch(base, patch);
    else if (type === "json") next = applyJsonPatch(base, patch);
    else next = applyStrategicMergePatch(base, patch);
    if (!isPlainObject(next)) throw badRequest("the patch result is not an object");
    const obj = next as KubeObject;
    if (!isPlainObject(obj.metadata)) obj.metadata = {};
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== old.metadata.resourceVersion) throw conflict(def, name);
    obj.metadata.managedFields = old.metadata.managedFields;
    return this.writeExisting(def, old, obj, opts, subresource, "update");
  }

  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions,
  ): { code: number; body: unknown } {
    const old = this.store.get(resourceKey(def), namespace, name);
    if (!old) throw notFound(def, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(
        def,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        def,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    const isNamespace = def.group === "" && def.resource === "namespaces";
    if ((old.metadata.finalizers ?? []).length > 0 || isNamespace) {
      if (old.metadata.deletionTimestamp) return { code: 200, body: this.present(def, old) };
      const next = structuredClone(old);
      next.metadata.deletionTimestamp = timestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      if (isNamespace) next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: "Terminating" };
      if (opts.dryRun) return { code: 200, body: this.present(def, next) };
      const stored = this.store.commit(resourceKey(def), "MODIFIED", next, old);
      if (isNamespace) setImmediate(() => this.emptyNamespace(name));
      return { code: isNamespace ? 200 : 200, body: this.present(def, stored) };
    }
    if (opts.dryRun) return { code: 200, body: this.deletedStatus(def, old) };
    const removed = this.store.commit(resourceKey(def), "DELETED", { ...old, metadata: { ...old.metadata } }, old);
    this.afterRemoval(def, removed, opts.propagationPolicy === "Orphan");
    return { code: 200, body: this.deletedStatus(def, old) };
  }

  private deletedStatus(def: ResourceDef, obj: KubeObject): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: {
        name: obj.metadata.name,
        ...(def.group === "" ? {} : { group: def.group }),
        kind: def.resource,
        uid: obj.metadata.uid,
      },
    };
  }

  /** Cascades that follow the removal of an object: CR cleanup for CRDs, dependents, namespaces. */
  private afterRemoval(def: ResourceDef, removed: KubeObject, orphan = false): void {
    if (def.group === "apiextensions.k8s.io" && def.resource === "customresourcedefinitions") {
      const defs = this.registry.removeCrd(removed.metadata.name!);
      for (const d of defs.slice(0, 1)) {
        for (const obj of this.store.list(resourceKey(d), undefined))
          this.store.commit(resourceKey(d), "DELETED", obj, obj);
      }
    }
    if (!orphan) {
      const uid = removed.metadata.uid;
      setImmediate(() => this.collectDependents(uid));
    }
    const ns = removed.metadata.namespace;
    if (ns) setImmediate(() => this.finishNamespace(ns));
  }

  private defForKey(key: string): ResourceDef | undefined {
    return this.registry.all().find((d) => resourceKey(d) === key);
  }

  /** Background garbage collection: delete objects whose owners are all gone. */
  private collectDependents(uid: string | undefined): void {
    if (!uid) return;
    const live = new Set<string>();
    for (const [, o] of this.store.entries()) if (o.metadata.uid) live.add(o.metadata.uid);
    for (const [key, obj] of [...this.store.entries()]) {
      const owners = obj.metadata.ownerReferences ?? [];
      if (!owners.some((r) => r.uid === uid)) continue;
      if (owners.some((r) => live.has(r.uid))) continue;
      const def = this.defForKey(key);
      if (!def) continue;
      try {
        this.delete(def, obj.metadata.namespace, obj.metadata.name!, {
          dryRun: false,
          propagationPolicy: "Background",
          preconditions: undefined,
        });
      } catch {
        // already gone
      }
    }
  }

  private emptyNamespace(namespace: string): void {
    for (const [key, obj] of [...this.store.entries()]) {
      if (obj.metadata.namespace !== namespace || obj.metadata.deletionTimestamp) continue;
      const def = this.defForKey(key);
      if (!def) continue;
      try {
        this.delete(def, namespace, obj.metadata.name!, {
          dryRun: false,
          propagationPolicy: "Background",
          preconditions: undefined,
        });
      } catch {
        // already gone
      }
    }
    this.finishNamespace(namespace);
  }

  private finishNamespace(namespace: string): void {
    const ns = this.store.get("/namespaces", undefined, namespace);
    if (!ns?.metadata.deletionTimestamp) return;
    for (const [, obj] of this.store.entries()) if (obj.metadata.namespace === namespace) return;
    this.store.commit("/namespaces", "DELETED", ns, ns);
  }
}
