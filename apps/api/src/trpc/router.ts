import { chainsRouter, devnetRouter } from "./routers/chains.ts";
import { paymentsRouter } from "./routers/payments.ts";
import { identityRouter } from "./routers/identity.ts";
import { offersRouter } from "./routers/offers.ts";
import { siteRouter } from "./routers/site.ts";
import { systemRouter } from "./routers/system.ts";
import { tokensRouter } from "./routers/tokens.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  system: systemRouter,
  tokens: tokensRouter,
  offers: offersRouter,
  chains: chainsRouter,
  devnet: devnetRouter,
  payments: paymentsRouter,
  identity: identityRouter,
  site: siteRouter,
});

export type AppRouter = typeof appRouter;
