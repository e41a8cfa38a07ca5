import {
  catalogServiceSchema,
  offerNameInputSchema,
  storefrontPageSchema,
  storefrontSearchInputSchema,
} from "@tollgate/core";
import { tryDevnetOfferInputSchema, tryDevnetOfferResultSchema } from "@tollgate/core/storefront/index";
import { localOriginOf } from "../../http/local-origin.ts";
import { publicProcedure, router } from "../trpc.ts";

export const storefrontRouter = router({
  /** Public: one page of the listed offers (search, type, category), with the counts and the seller's profile. */
  search: publicProcedure
    .input(storefrontSearchInputSchema)
    .output(storefrontPageSchema)
    .query(({ ctx, input }) => ctx.services.offerSearch.searchStorefront(input)),
  /** Public: one listed offer's catalog entry (NOT_FOUND when it is not listed). */
  offer: publicProcedure
    .input(offerNameInputSchema)
    .output(catalogServiceSchema)
    .query(({ ctx, input }) => ctx.services.offerSearch.showStorefrontOffer(input)),
  /** Public, devnet only: pays a `local` offer with the devnet buyer and returns each x402 step. */
  tryDevnetOffer: publicProcedure
    .input(tryDevnetOfferInputSchema)
    .output(tryDevnetOfferResultSchema)
    .mutation(({ ctx, input }) =>
      ctx.services.storefront.tryDevnetOffer({ name: input.name, origin: localOriginOf(ctx.http?.req) }),
    ),
});
