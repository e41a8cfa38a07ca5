import type { PublishedRoute } from "../runtime/route-table.ts";

/** What must change to make the observed route table match the desired one. */
export interface RouteDiff {
  add: PublishedRoute[];
  remove: PublishedRoute[];
  /** Same offer, something changed (generation, upstream, requirements, drain end…). */
  change: { from: PublishedRoute; to: PublishedRoute }[];
  unchanged: number;
}

/** Compares desired and observed routes by offer id (pure); empty add/remove/change means nothing to do. */
export function diffRoutes(desired: PublishedRoute[], observed: PublishedRoute[]): RouteDiff {
  const before = new Map(observed.map((r) => [r.offerId, r]));
  const after = new Map(desired.map((r) => [r.offerId, r]));
  const diff: RouteDiff = { add: [], remove: [], change: [], unchanged: 0 };
  for (const route of desired) {
    const old = before.get(route.offerId);
    if (!old) diff.add.push(route);
    else if (JSON.stringify(old) !== JSON.stringify(route)) diff.change.push({ from: old, to: route });
    else diff.unchanged += 1;
  }
  for (const route of observed) if (!after.has(route.offerId)) diff.remove.push(route);
  return diff;
}

/** True when the diff changes nothing. */
export function isEmptyDiff(diff: RouteDiff): boolean {
  return diff.add.length === 0 && diff.remove.length === 0 && diff.change.length === 0;
}
