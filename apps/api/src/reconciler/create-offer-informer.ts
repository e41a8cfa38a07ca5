import type { Offer, OfferCondition, OfferRepository, OfferWithConditions } from "@tollgate/core";

/** What a refresh of one offer found: the cached entry before and the ledger row after (null: gone or deleted). */
export interface InformerChange {
  before: OfferWithConditions | undefined;
  after: OfferWithConditions | null;
}

/**
 * The reconciler's informer: every live offer with its last written conditions, in memory, indexed by path
 * and by chain. Loaded once at start, kept current one offer at a time (`refresh` after an `offer.changed`
 * event), and relisted periodically by comparing versions, so a missed event is caught without reading
 * every row. Readers (discovery, the registrar) get the cached list instead of a ledger read.
 */
export function createOfferInformer({
  repo,
}: {
  repo: Pick<OfferRepository, "list" | "find" | "findMany" | "listVersions">;
}) {
  const entries = new Map<string, OfferWithConditions>();
  const byPath = new Map<string, Set<string>>();
  const byChain = new Map<string, Set<string>>();
  let sorted: OfferWithConditions[] | null = null;

  function index(map: Map<string, Set<string>>, key: string, id: string, add: boolean): void {
    let set = map.get(key);
    if (add) {
      if (!set) {
        set = new Set();
        map.set(key, set);
      }
      set.add(id);
    } else if (set) {
      set.delete(id);
      if (set.size === 0) map.delete(key);
    }
  }

  const order = (a: OfferWithConditions, b: OfferWithConditions) =>
    a.offer.createdAt.getTime() - b.offer.createdAt.getTime() || a.offer.id.localeCompare(b.offer.id);

  /** The position of `entry` in the sorted list (where it is, or where it would go). */
  function positionOf(list: OfferWithConditions[], entry: OfferWithConditions): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (order(list[mid] as OfferWithConditions, entry) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function put(entry: OfferWithConditions | null, id: string): InformerChange {
    const before = entries.get(id);
    if (before) {
      index(byPath, before.offer.path, id, false);
      index(byChain, before.offer.payment.chain, id, false);
      entries.delete(id);
      // The sorted list is kept in step (one offer costs a binary search, not a sort of all).
      if (sorted) {
        const at = positionOf(sorted, before);
        if (sorted[at] === before) sorted.splice(at, 1);
        else sorted = null;
      }
    }
    const live = entry && entry.offer.state !== "deleted" ? entry : null;
    if (live) {
      entries.set(id, live);
      index(byPath, live.offer.path, id, true);
      index(byChain, live.offer.payment.chain, id, true);
      sorted?.splice(positionOf(sorted, live), 0, live);
    }
    return { before, after: entry };
  }

  return {
    /** Loads every live offer (the start of the reconciler, and after the ledger was replaced). */
    async load(): Promise<string[]> {
      const rows = await repo.list();
      const seen = new Set(rows.map((row) => row.offer.id));
      const gone = [...entries.keys()].filter((id) => !seen.has(id));
      for (const id of gone) put(null, id);
      for (const row of rows) put(row, row.offer.id);
      return [...seen, ...gone];
    },
    /** Reads one offer from the ledger into the cache. */
    async refresh(id: string): Promise<InformerChange> {
      return put(await repo.find(id), id);
    },
    /** Compares versions with the ledger and reloads only what differs; returns the ids that changed. */
    async relist(): Promise<string[]> {
      const versions = await repo.listVersions();
      const live = new Set(versions.map((v) => v.id));
      const changed = versions
        .filter((v) => entries.get(v.id)?.offer.updatedAt.getTime() !== v.version)
        .map((v) => v.id);
      const gone = [...entries.keys()].filter((id) => !live.has(id));
      const rows = await repo.findMany(changed);
      const found = new Set(rows.map((row) => row.offer.id));
      for (const row of rows) put(row, row.offer.id);
      for (const id of [...gone, ...changed.filter((id) => !found.has(id))]) put(null, id);
      return [...changed, ...gone];
    },
    get: (id: string): OfferWithConditions | undefined => entries.get(id),
    /** Every live offer, oldest first (the order of `OfferRepository.list`). */
    list(): OfferWithConditions[] {
      sorted ??= [...entries.values()].sort(order);
      // A copy: the kept list changes in place with the next offer read.
      return sorted.slice();
    },
    ids: (): string[] => [...entries.keys()],
    size: (): number => entries.size,
    /** Live offers on this path (path conflicts are decided among them). */
    onPath: (path: string): Offer[] => [...(byPath.get(path) ?? [])].flatMap((id) => entries.get(id)?.offer ?? []),
    idsOnPath: (path: string): string[] => [...(byPath.get(path) ?? [])],
    idsOnChain: (chain: string): string[] => [...(byChain.get(chain) ?? [])],
    chains: (): string[] => [...byChain.keys()],
    /** Records conditions the reconciler wrote (keeps the entry's offer as it is). */
    setConditions(id: string, conditions: OfferCondition[]): void {
      const entry = entries.get(id);
      if (!entry) return;
      // In place: the sorted list holds the same entry.
      entry.conditions = conditions;
    },
  };
}

export type OfferInformer = ReturnType<typeof createOfferInformer>;
