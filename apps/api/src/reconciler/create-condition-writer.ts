import type { ConditionUpdate, ConditionWrite, OfferCondition, OfferRepository } from "@tollgate/core";

/** True when writing `next` over `current` would change a row (status, reason, message or generation). */
export function conditionsDiffer(current: OfferCondition[], next: ConditionUpdate[]): boolean {
  if (current.length !== next.length) return true;
  const byType = new Map(current.map((c) => [c.type, c]));
  return next.some((c) => {
    const old = byType.get(c.type);
    return (
      !old ||
      old.status !== c.status ||
      old.reason !== c.reason ||
      old.message !== c.message ||
      old.observedGeneration !== c.observedGeneration
    );
  });
}

/** The conditions as stored after writing `next` over `current` (lastTransitionTime moves only on a status change). */
export function mergeConditions(current: OfferCondition[], next: ConditionUpdate[], now: Date): OfferCondition[] {
  const byType = new Map(current.map((c) => [c.type, c]));
  const merged = next.map((c) => {
    const old = byType.get(c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
  });
  // Types this write does not name stay as they were.
  const named = new Set(next.map((c) => c.type));
  return [...merged, ...current.filter((c) => !named.has(c.type))];
}

/**
 * Collects the conditions the reconciler decided and writes them in batches: one statement per batch of up
 * to `maxBatch` offers, after a short window so that a burst of reconciles becomes one write. A later
 * decision for an offer replaces one not written yet. Writes are serial, so an offer's writes land in order.
 */
export function createConditionWriter({
  repo,
  windowMs = 25,
  maxBatch = 500,
  clock = () => new Date(),
  onWritten,
  onFailed,
}: {
  repo: Pick<OfferRepository, "saveConditionsMany">;
  windowMs?: number;
  maxBatch?: number;
  clock?: () => Date;
  /** After a batch was written: the offers in it and the time written. */
  onWritten: (writes: ConditionWrite[], at: Date, rows: number) => void;
  /** A batch failed: its offers must be reconciled again. */
  onFailed: (writes: ConditionWrite[], error: unknown) => void;
}) {
  const pending = new Map<string, ConditionUpdate[]>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> | null = null;
  let rowsWritten = 0;
  let batches = 0;

  async function writeBatch(): Promise<void> {
    const writes: ConditionWrite[] = [];
    for (const [offerId, conditions] of pending) {
      writes.push({ offerId, conditions });
      pending.delete(offerId);
      if (writes.length >= maxBatch) break;
    }
    if (writes.length === 0) return;
    const at = clock();
    try {
      const rows = await repo.saveConditionsMany(writes, at);
      rowsWritten += rows;
      batches += 1;
      onWritten(writes, at, rows);
    } catch (error) {
      onFailed(writes, error);
    }
  }

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => void flush(), windowMs);
    timer.unref?.();
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    flushing ??= (async () => {
      while (pending.size > 0) await writeBatch();
    })().finally(() => {
      flushing = null;
      if (pending.size > 0) schedule();
    });
    return flushing;
  }

  return {
    /** Queues an offer's conditions for the next batch. */
    add(offerId: string, conditions: ConditionUpdate[]): void {
      pending.set(offerId, conditions);
      if (pending.size >= maxBatch && !flushing) void flush();
      else if (!flushing) schedule();
    },
    /** Drops an offer's unwritten conditions (it was deleted). */
    drop(offerId: string): void {
      pending.delete(offerId);
    },
    /** Writes everything queued so far (and what is queued while writing). */
    async flushAll(): Promise<void> {
      while (pending.size > 0 || flushing) await (flushing ?? flush());
    },
    stats: () => ({ pending: pending.size, rowsWritten, batches }),
  };
}

export type ConditionWriter = ReturnType<typeof createConditionWriter>;
