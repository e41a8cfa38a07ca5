import { defaultPayeeSchema, setDefaultPayeeInputSchema } from "@tollgate/core/payees/manage-default-payees";
import { z } from "zod";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const payeesRouter = router({
  /** Default payee per chain (used when an offer is created without payTo). */
  list: readProcedure
    .input(z.void())
    .output(z.array(defaultPayeeSchema))
    .query(({ ctx }) => ctx.services.payees.list()),
  set: adminProcedure
    .input(setDefaultPayeeInputSchema)
    .output(defaultPayeeSchema)
    .mutation(({ ctx, input }) => ctx.services.payees.set({ ...input, actor: ctx.caller.actor })),
});
