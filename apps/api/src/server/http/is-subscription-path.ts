import { appRouter } from "../../trpc/router.ts";

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;

/**
 * True when a tRPC path names a subscription. Subscriptions stream over SSE, where a refusal would arrive
 * as an event inside a 200 response; every subscription is non-public (live admin data), so the request
 * handler answers an anonymous one with a plain 401 before the stream starts.
 */
export function isSubscriptionPath(path: string): boolean {
  return procedures[path]?._def.type === "subscription";
}
