import { tryDevnetOfferInputSchema, tryDevnetOfferResultSchema } from "../../storefront/try-devnet-schemas.ts";
import { publicProcedure, router } from "../trpc.ts";

export const storefrontRouter = router({
  /** Public, devnet only: pays a `local` offer with the devnet buyer and returns each x402 step. */
  tryDevnetOffer: publicProcedure
    .input(tryDevnetOfferInputSchema)
    .output(tryDevnetOfferResultSchema)
    .mutation(({ ctx, input }) => ctx.services.storefront.tryDevnetOffer({ name: input.name, http: ctx.http })),
});
