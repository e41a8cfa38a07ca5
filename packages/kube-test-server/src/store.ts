import { ApiError, expired } from "./status.ts";
import type { KubeObject, WatchEventType } from "./types.ts";

/** A stored change, kept for watches that resume from an older resourceVersion. */
export type StoredEvent = {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  resourceKey: string;
  object: KubeObject;
  previous: KubeObject | undefined;
};

export type WatchFilter = {
  resourceKey: string;
  namespace: string | undefined;
  matches: (obj: KubeObject) => boolean;
};

export type WatchSink = (type: WatchEventType, object: KubeObject) => void;

type Watcher = { filter: WatchFilter; sink: WatchSink };

const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ""}/${name}`;

/**
 * The storage of the test API server: one global revision counter (like etcd's), objects per resource,
 * a bounded history of changes for watches (older revisions answer 410 Gone) and live watchers.
 */
export class ObjectStore {
  private revision = 1;
  private compactedRevision = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly historyLimit: number) {}

  get currentRevision(): number {
    return this.revision;
  }

  get(resourceKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resourceKey)?.get(objectKey(namespace, name));
  }

  list(resourceKey: string, namespace: string | undefined): KubeObject[] {
    const all = [...(this.objects.get(resourceKey)?.values() ?? [])];
    const scoped = namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    return scoped.sort((a, b) =>
      objectKey(a.metadata.namespace, a.metadata.name!).localeCompare(
        objectKey(b.metadata.namespace, b.metadata.name!),
      ),
    );
  }

  /** Every object of every resource (for garbage collection and namespace cleanup). */
  *entries(): Generator<[string, KubeObject]> {
    for (const [key, byName] of this.objects) for (const obj of byName.values()) yield [key, obj];
  }

  /** Writes (or deletes) an object at a new revision and notifies watchers. */
  commit(
    resourceKey: string,
    type: StoredEvent["type"],
    object: KubeObject,
    previous: KubeObject | undefined,
  ): KubeObject {
    this.revision += 1;
    const stored: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } };
    let byName = this.objects.get(resourceKey);
    if (!byName) {
      byName = new Map();
      this.objects.set(resourceKey, byName);
    }
    const key = objectKey(stored.metadata.namespace, stored.metadata.name!);
    if (type === "DELETED") byName.delete(key);
    else byName.set(key, stored);
    const event: StoredEvent = { rv: this.revision, type, resourceKey, object: stored, previous };
    this.history.push(event);
    if (this.history.length > this.historyLimit) this.compact(this.history.length - this.historyLimit);
    for (const w of this.watchers) deliver(w, event);
    return stored;
  }

  /** Drops the oldest `count` history entries (all of them by default), as etcd compaction does. */
  compact(count = this.history.length): void {
    const dropped = this.history.splice(0, count);
    const last = dropped[dropped.length - 1];
    if (last) this.compactedRevision = last.rv;
    if (count >= 0 && this.history.length === 0) this.compactedRevision = this.revision;
  }

  /** Starts a watch: replays changes after `fromRevision` (or nothing), then live events. */
  watch(filter: WatchFilter, fromRevision: number | undefined, sink: WatchSink): () => void {
    if (fromRevision !== undefined) {
      if (fromRevision > this.revision) {
        // A revision this store never had (a client that watched a previous incarnation of the cluster).
        throw new ApiError(504, "Timeout", `Too large resource version: ${fromRevision}, current: ${this.revision}`, {
          causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
          retryAfterSeconds: 1,
        });
      }
      if (fromRevision < this.compactedRevision) {
        throw expired(`too old resource version: ${fromRevision} (${this.compactedRevision + 1})`);
      }
      for (const event of this.history) {
        if (event.rv > fromRevision) deliver({ filter, sink }, event);
      }
    }
    const watcher = { filter, sink };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Ends every watch (the sinks are told by their owners); used when the server stops. */
  get watcherCount(): number {
    return this.watchers.size;
  }
}

const deliver = (w: Watcher, event: StoredEvent): void => {
  const { filter } = w;
  if (event.resourceKey !== filter.resourceKey) return;
  if (filter.namespace !== undefined && event.object.metadata.namespace !== filter.namespace) return;
  const now = filter.matches(event.object);
  if (event.type === "MODIFIED") {
    const before = event.previous ? filter.matches(event.previous) : false;
    if (now && before) w.sink("MODIFIED", event.object);
    else if (now) w.sink("ADDED", event.object);
    else if (before) w.sink("DELETED", event.object);
    return;
  }
  if (now) w.sink(event.type, event.object);
};
