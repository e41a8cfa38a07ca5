import {
  adminOfferPageSchema,
  adminOfferSearchInputSchema,
  createOfferInputSchema,
  listOffersInputSchema,
  offerNameInputSchema,
  offerViewSchema,
  stopOfferInputSchema,
  updateOfferInputSchema,
} from "@tollgate/core";
import { z } from "zod";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const offersRouter = router({
  list: readProcedure
    .input(listOffersInputSchema)
    .output(z.array(offerViewSchema))
    .query(({ ctx, input }) => ctx.services.offers.list(input)),
  search: readProcedure
    .input(adminOfferSearchInputSchema)
    .output(adminOfferPageSchema)
    .query(({ ctx, input }) => ctx.services.offerSearch.searchAdmin(input)),
  show: readProcedure
    .input(offerNameInputSchema)
    .output(offerViewSchema)
    .query(({ ctx, input }) => ctx.services.offers.show(input)),
  create: adminProcedure
    .input(createOfferInputSchema)
    .output(offerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.offers.create({ actor: ctx.caller.actor, input })),
  update: adminProcedure
    .input(updateOfferInputSchema)
    .output(offerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.offers.update({ actor: ctx.caller.actor, input })),
  stop: adminProcedure
    .input(stopOfferInputSchema)
    .output(offerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.offers.stop({ actor: ctx.caller.actor, input })),
  start: adminProcedure
    .input(offerNameInputSchema)
    .output(offerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.offers.start({ actor: ctx.caller.actor, input })),
  delete: adminProcedure
    .input(offerNameInputSchema)
    .output(offerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.offers.delete({ actor: ctx.caller.actor, input })),
  probe: adminProcedure
    .input(offerNameInputSchema)
    .output(offerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.offers.probe(input)),
});
