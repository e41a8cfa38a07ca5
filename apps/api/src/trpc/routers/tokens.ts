import { createTokenInputSchema, tokenNameSchema, tokenSummarySchema } from "@tollgate/core";
import { z } from "zod";
import { adminProcedure, router } from "../trpc.ts";

export const tokensRouter = router({
  list: adminProcedure.output(z.array(tokenSummarySchema)).query(({ ctx }) => ctx.services.tokens.list()),
  create: adminProcedure
    .input(createTokenInputSchema)
    .output(z.object({ token: z.string(), summary: tokenSummarySchema }))
    .mutation(({ ctx, input }) => ctx.services.tokens.create({ ...input, actor: ctx.caller.actor })),
  revoke: adminProcedure
    .input(z.object({ name: tokenNameSchema }))
    .output(tokenSummarySchema)
    .mutation(({ ctx, input }) => ctx.services.tokens.revoke({ name: input.name, actor: ctx.caller.actor })),
});
