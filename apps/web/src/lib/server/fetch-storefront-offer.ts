import { catalogServiceSchema } from "@tollgate/core/search/offer-search-schemas";
import type { z } from "zod";
import { getServerOrigin } from "./server-origin.ts";

export type StorefrontOfferResult =
  | { ok: true; service: z.infer<typeof catalogServiceSchema> }
  | { ok: false; notFound: boolean; message: string };

/** One listed offer from the public `storefront.offer` procedure (not the whole catalog). Never cached. */
export async function fetchStorefrontOffer(name: string): Promise<StorefrontOfferResult> {
  try {
    const response = await fetch(
      `${getServerOrigin()}/trpc/storefront.offer?input=${encodeURIComponent(JSON.stringify({ name }))}`,
      { cache: "no-store", headers: { accept: "application/json" }, signal: AbortSignal.timeout(5_000) },
    );
    // 404: not listed; 400: not even a valid offer name.
    if (response.status === 404 || response.status === 400) return { ok: false, notFound: true, message: "" };
    if (!response.ok) return { ok: false, notFound: false, message: `The storefront answered HTTP ${response.status}` };
    const body = (await response.json()) as { result?: { data?: unknown } };
    const parsed = catalogServiceSchema.safeParse(body.result?.data);
    if (!parsed.success)
      return { ok: false, notFound: false, message: "The storefront answered with something unexpected" };
    return { ok: true, service: parsed.data };
  } catch (error) {
    return {
      ok: false,
      notFound: false,
      message: error instanceof Error ? error.message : "The storefront is unreachable",
    };
  }
}
