/**
 * Collects calls made in the same tick (until `setImmediate`, so after the microtasks that follow one
 * event) into groups by key, and hands each group to `send` at once: the settlement of a batch, or the
 * verifications answered by one JSON-RPC batch, resume in one tick and their ledger writes share one
 * statement. `send` returns one result per item, in order; if it throws, every caller of the group gets that.
 */
export function createTickBatcher<Item, Result>(send: (key: string, items: Item[]) => Promise<Result[]>) {
  const groups = new Map<
    string,
    { items: Item[]; waiters: { resolve(r: Result): void; reject(e: unknown): void }[] }
  >();
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = [...groups];
    groups.clear();
    for (const [key, { items, waiters }] of batch) {
      send(key, items).then(
        (results) => {
          for (const [index, waiter] of waiters.entries()) waiter.resolve(results[index] as Result);
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      );
    }
  }

  return {
    add(key: string, item: Item): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        let group = groups.get(key);
        if (!group) {
          group = { items: [], waiters: [] };
          groups.set(key, group);
        }
        group.items.push(item);
        group.waiters.push({ resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
