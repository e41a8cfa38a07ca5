import type { TollgateEvent } from "@tollgate/core";
import { readProcedure, router } from "../trpc.ts";

/** Undelivered events kept per subscriber before the oldest are dropped (a stalled tab must not grow memory). */
const queueLimit = 1_000;

export const eventsRouter = router({
  /** Live payments, condition changes and offer changes over SSE (SPEC §9); the session cookie authenticates. */
  stream: readProcedure.subscription(async function* ({ ctx, signal }) {
    const queue: TollgateEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = ctx.services.events.subscribe((event) => {
      queue.push(event);
      if (queue.length > queueLimit) queue.shift();
      wake?.();
    });
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal?.addEventListener("abort", () => resolve(), { once: true });
        });
        wake = null;
      }
    } finally {
      unsubscribe();
    }
  }),
});
