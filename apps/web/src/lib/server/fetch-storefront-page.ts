import {
  type StorefrontPage,
  type StorefrontSearchInput,
  storefrontPageSchema,
} from "@tollgate/core/search/offer-search-schemas";
import { getServerOrigin } from "./server-origin.ts";

export type StorefrontPageResult = { ok: true; page: StorefrontPage } | { ok: false; message: string };

/**
 * One page of the listed offers from the public `storefront.search` procedure, checked against core's
 * schema. Never cached: listings change live.
 */
export async function fetchStorefrontPage(input: StorefrontSearchInput): Promise<StorefrontPageResult> {
  const origin = getServerOrigin();
  try {
    const response = await fetch(
      `${origin}/trpc/storefront.search?input=${encodeURIComponent(JSON.stringify(input))}`,
      { cache: "no-store", headers: { accept: "application/json" }, signal: AbortSignal.timeout(5_000) },
    );
    if (!response.ok) return { ok: false, message: `The storefront answered HTTP ${response.status}` };
    const body = (await response.json()) as { result?: { data?: unknown } };
    const parsed = storefrontPageSchema.safeParse(body.result?.data);
    if (!parsed.success) return { ok: false, message: "The storefront answered with something unexpected" };
    return { ok: true, page: parsed.data };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : "The storefront is unreachable" };
  }
}
