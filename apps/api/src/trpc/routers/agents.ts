import { agentNameInputSchema, agentViewSchema, createAgentInputSchema, deleteAgentInputSchema } from "@tollgate/core";
import { z } from "zod";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const agentsRouter = router({
  list: readProcedure.output(z.array(agentViewSchema)).query(({ ctx }) => ctx.services.agents.list()),
  show: readProcedure
    .input(agentNameInputSchema)
    .output(agentViewSchema)
    .query(({ ctx, input }) => ctx.services.agents.show(input)),
  create: adminProcedure
    .input(createAgentInputSchema)
    .output(agentViewSchema)
    .mutation(({ ctx, input }) => ctx.services.agents.create({ actor: ctx.caller.actor, input })),
  delete: adminProcedure
    .input(deleteAgentInputSchema)
    .output(agentViewSchema)
    .mutation(({ ctx, input }) => ctx.services.agents.delete({ actor: ctx.caller.actor, input })),
});
