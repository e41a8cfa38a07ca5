import type { FunnelCountRow } from "./analytics-repository.ts";

/** What the counter needs to know about the route a request matched. */
export interface FunnelRoute {
  offerId: string;
  chain: string;
  testnet: boolean;
  requirements: { asset: string };
}

/** The gateway's side of the funnel: counts in memory, no row per request. */
export interface FunnelRecorder {
  /** A 402 challenge answered. */
  challenge(route: FunnelRoute): void;
  /** A payment refused before it was recorded (verification failed, replay, no matching requirement…). */
  refused(route: FunnelRoute, reason: string): void;
}

const hourMs = 3_600_000;
/** Reasons come from facilitators: bounded so a hostile or chatty one cannot grow the table. */
const maxReasonLength = 64;

/**
 * Counts challenges and refusals per offer, chain, asset and UTC hour until `drain()` hands them to a
 * flusher (which writes them in one batch). `restore()` puts back a batch whose write failed.
 */
export function createFunnelCounter({ clock = () => Date.now() }: { clock?: () => number } = {}) {
  let pending = new Map<string, FunnelCountRow>();

  function rowFor(route: FunnelRoute): FunnelCountRow {
    const hour = Math.floor(clock() / hourMs) * hourMs;
    const key = `${route.offerId}|${route.chain}|${route.requirements.asset}|${hour}`;
    let row = pending.get(key);
    if (!row) {
      row = {
        offerId: route.offerId,
        chain: route.chain,
        asset: route.requirements.asset,
        testnet: route.testnet,
        hour: new Date(hour),
        challenges: 0,
        refused: 0,
        reasons: {},
      };
      pending.set(key, row);
    }
    return row;
  }

  function merge(target: FunnelCountRow, from: FunnelCountRow) {
    target.challenges += from.challenges;
    target.refused += from.refused;
    for (const [reason, count] of Object.entries(from.reasons)) {
      target.reasons[reason] = (target.reasons[reason] ?? 0) + count;
    }
  }

  return {
    challenge(route: FunnelRoute) {
      rowFor(route).challenges += 1;
    },
    refused(route: FunnelRoute, reason: string) {
      const row = rowFor(route);
      const key = reason.slice(0, maxReasonLength) || "unknown";
      row.refused += 1;
      row.reasons[key] = (row.reasons[key] ?? 0) + 1;
    },
    /** Takes every pending count (the counter starts again from zero). */
    drain(): FunnelCountRow[] {
      const rows = [...pending.values()];
      pending = new Map();
      return rows;
    },
    /** Puts back counts a failed flush took. */
    restore(rows: FunnelCountRow[]) {
      for (const row of rows) {
        const key = `${row.offerId}|${row.chain}|${row.asset}|${row.hour.getTime()}`;
        const existing = pending.get(key);
        if (existing) merge(existing, row);
        else pending.set(key, row);
      }
    },
  } satisfies FunnelRecorder & Record<string, unknown>;
}

export type FunnelCounter = ReturnType<typeof createFunnelCounter>;
