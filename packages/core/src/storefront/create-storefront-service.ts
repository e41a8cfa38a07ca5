import type { TryDevnetOfferResult } from "./try-devnet-schemas.ts";

/** Pays a devnet offer through the gateway at `origin` and reports each x402 step (the server does the I/O). */
export type TryDevnetOffer = (input: { name: string; origin: string }) => Promise<TryDevnetOfferResult>;

/** Public storefront actions that need the server (today: Try it on devnet offers). */
export function createStorefrontService({ tryDevnetOffer }: { tryDevnetOffer: TryDevnetOffer }) {
  // One Try it at a time: it is a demo, and the devnet facilitator settles serially anyway.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    /** Runs Try it for the offer `name` against this server's own gateway at `origin`, after any one running. */
    tryDevnetOffer(input: { name: string; origin: string }): Promise<TryDevnetOfferResult> {
      const run = tail.then(() => tryDevnetOffer(input));
      tail = run.catch(() => {});
      return run;
    },
  };
}

export type StorefrontService = ReturnType<typeof createStorefrontService>;
