import { paymentsRouter } from "./routers/payments.ts";
import { systemRouter } from "./routers/system.ts";
import { tokensRouter } from "./routers/tokens.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  system: systemRouter,
  tokens: tokensRouter,
  payments: paymentsRouter,
});

export type AppRouter = typeof appRouter;
