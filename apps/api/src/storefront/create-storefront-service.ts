import type { IncomingMessage } from "node:http";
import type { OfferView } from "@tollgate/core";
import type { DevnetInfo } from "@tollgate/core/chains/index";
import { tryDevnetOffer } from "./try-devnet-offer.ts";
import type { TryDevnetOfferResult } from "./try-devnet-schemas.ts";

/** The loopback origin this request arrived on: Try it pays the gateway of this very server. */
function localOriginOf(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? "127.0.0.1";
  const host = address.includes(":") ? (address.startsWith("::ffff:") ? address.slice(7) : `[${address}]`) : address;
  return `http://${host}:${req.socket.localPort}`;
}

/** Public storefront actions that need the server (today: Try it on devnet offers). */
export function createStorefrontService(deps: {
  showOffer: (name: string) => Promise<OfferView>;
  devnetInfo: () => Promise<DevnetInfo | null>;
}) {
  // One Try it at a time: it is a demo, and the devnet facilitator settles serially anyway.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    tryDevnetOffer(input: {
      name: string;
      http?: { req: IncomingMessage } | undefined;
    }): Promise<TryDevnetOfferResult> {
      const origin = input.http ? localOriginOf(input.http.req) : "http://127.0.0.1:8402";
      const run = tail.then(() => tryDevnetOffer({ name: input.name, origin, ...deps }));
      tail = run.catch(() => {});
      return run;
    },
  };
}

export type StorefrontService = ReturnType<typeof createStorefrontService>;
