import {
  addModelInputSchema,
  addProviderInputSchema,
  modelNameInputSchema,
  modelViewSchema,
  providerNameInputSchema,
  providerViewSchema,
} from "@tollgate/core";
import { z } from "zod";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const providersRouter = router({
  list: readProcedure.output(z.array(providerViewSchema)).query(({ ctx }) => ctx.services.models.listProviders()),
  add: adminProcedure
    .input(addProviderInputSchema)
    .output(providerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.models.addProvider({ actor: ctx.caller.actor, input })),
  remove: adminProcedure
    .input(providerNameInputSchema)
    .output(providerViewSchema)
    .mutation(({ ctx, input }) => ctx.services.models.removeProvider({ actor: ctx.caller.actor, input })),
});

export const modelsRouter = router({
  list: readProcedure.output(z.array(modelViewSchema)).query(({ ctx }) => ctx.services.models.listModels()),
  show: readProcedure
    .input(modelNameInputSchema)
    .output(modelViewSchema)
    .query(({ ctx, input }) => ctx.services.models.showModel(input)),
  add: adminProcedure
    .input(addModelInputSchema)
    .output(modelViewSchema)
    .mutation(({ ctx, input }) => ctx.services.models.addModel({ actor: ctx.caller.actor, input })),
  remove: adminProcedure
    .input(modelNameInputSchema)
    .output(modelViewSchema)
    .mutation(({ ctx, input }) => ctx.services.models.removeModel({ actor: ctx.caller.actor, input })),
});
