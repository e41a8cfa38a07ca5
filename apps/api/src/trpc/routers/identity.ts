import { offerViewSchema } from "@tollgate/core";
import { z } from "zod";
import { identityViewSchema, registerOfferInputSchema } from "@tollgate/core/identity/index";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const identityRouter = router({
  /** The seller's ERC-8004 identities, one per chain. */
  list: readProcedure.output(z.array(identityViewSchema)).query(({ ctx }) => ctx.services.identity.list()),
  /** Registers the seller on the offer's (or the given) chain now; enables the offer's registration. */
  register: adminProcedure
    .input(registerOfferInputSchema)
    .output(z.object({ offer: offerViewSchema, identity: identityViewSchema.nullable() }))
    .mutation(({ ctx, input }) => ctx.services.identity.register({ actor: ctx.caller.actor, input })),
});
