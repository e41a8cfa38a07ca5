import { chainStatusSchema, devnetInfoSchema } from "@tollgate/core/chains/index";
import { z } from "zod";
import { adminProcedure, readProcedure, router } from "../trpc.ts";

export const chainsRouter = router({
  /** Every enabled chain with its facilitator's health on the chain's network. */
  list: readProcedure
    .input(z.void())
    .output(z.array(chainStatusSchema))
    .query(({ ctx }) => ctx.services.chains.list()),
});

export const devnetRouter = router({
  /** The devnet's RPC URL, contracts and test accounts with balances (keys included: admin only, devnet only). */
  info: adminProcedure
    .input(z.void())
    .output(devnetInfoSchema.nullable())
    .query(({ ctx }) => ctx.services.devnet.info()),
});
