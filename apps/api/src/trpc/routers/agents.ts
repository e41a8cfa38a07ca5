import {
  agentBalanceSchema,
  agentFundResultSchema,
  agentNameInputSchema,
  agentPayResultSchema,
  agentViewSchema,
  createAgentInputSchema,
  deleteAgentInputSchema,
  fundAgentInputSchema,
  outboundPaymentViewSchema,
  payAsAgentInputSchema,
  setAgentPolicyInputSchema,
  updateAgentInputSchema,
} from "@tollgate/core";
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
  update: adminProcedure
    .input(updateAgentInputSchema)
    .output(agentViewSchema)
    .mutation(({ ctx, input }) => ctx.services.agents.update({ actor: ctx.caller.actor, input })),
  policy: adminProcedure
    .input(setAgentPolicyInputSchema)
    .output(agentViewSchema)
    .mutation(({ ctx, input }) => ctx.services.agents.setPolicy({ actor: ctx.caller.actor, input })),
  /** An outbound x402 call from the agent's wallet: the runtime's authenticated endpoint (POST /trpc/agents.pay). */
  pay: adminProcedure
    .input(payAsAgentInputSchema)
    .output(agentPayResultSchema)
    .mutation(({ ctx, input }) => ctx.services.agents.pay({ input })),
  fund: adminProcedure
    .input(fundAgentInputSchema)
    .output(agentFundResultSchema)
    .mutation(({ ctx, input }) => ctx.services.agents.fund({ input })),
  balances: readProcedure.output(z.array(agentBalanceSchema)).query(({ ctx }) => ctx.services.agents.balances()),
  payments: readProcedure
    .input(z.object({ name: z.string().optional(), limit: z.number().int().min(1).max(500).optional() }))
    .output(z.array(outboundPaymentViewSchema))
    .query(({ ctx, input }) => ctx.services.agents.listPayments(input)),
});
