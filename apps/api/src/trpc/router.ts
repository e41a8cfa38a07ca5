import { agentsRouter } from "./routers/agents.ts";
import { analyticsRouter } from "./routers/analytics.ts";
import { authRouter } from "./routers/auth.ts";
import { chainsRouter, devnetRouter } from "./routers/chains.ts";
import { clusterRouter } from "./routers/cluster.ts";
import { eventsRouter } from "./routers/events.ts";
import { identityRouter } from "./routers/identity.ts";
import { modelsRouter, providersRouter } from "./routers/models.ts";
import { offersRouter } from "./routers/offers.ts";
import { payeesRouter } from "./routers/payees.ts";
import { paymentsRouter } from "./routers/payments.ts";
import { siteRouter } from "./routers/site.ts";
import { storefrontRouter } from "./routers/storefront.ts";
import { systemRouter } from "./routers/system.ts";
import { tokensRouter } from "./routers/tokens.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  system: systemRouter,
  tokens: tokensRouter,
  offers: offersRouter,
  providers: providersRouter,
  models: modelsRouter,
  agents: agentsRouter,
  chains: chainsRouter,
  devnet: devnetRouter,
  payments: paymentsRouter,
  analytics: analyticsRouter,
  identity: identityRouter,
  site: siteRouter,
  auth: authRouter,
  events: eventsRouter,
  storefront: storefrontRouter,
  payees: payeesRouter,
  cluster: clusterRouter,
});

export type AppRouter = typeof appRouter;
