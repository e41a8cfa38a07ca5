import {
  createAdminAuthService,
  createApiTokenService,
  createOfferSearchService,
  type EventBus,
  type SecretStore,
  type SettingsStore,
  tollgateVersion,
} from "@tollgate/core";
import { createAnalyticsService } from "@tollgate/core/analytics/index";
import { createDefaultPayeesService } from "@tollgate/core/payees/manage-default-payees";
import { createPaymentsService } from "@tollgate/core/payments/index";
import {
  createAdminAuthRepository,
  createAnalyticsRepository,
  createApiTokenRepository,
  createAuditLog,
  createPaymentRepository,
  type Ledger,
} from "@tollgate/db";
import { createOfferRepository } from "@tollgate/db/repositories/offers";
import { type ChainRuntimeHandle, createChainsService, createDevnetService } from "../chain/index.ts";
import { createStorefrontService } from "../storefront/create-storefront-service.ts";
import type { AppServices } from "./app-services.ts";
import { createClusterService } from "../drivers/kubernetes/create-cluster-service.ts";
import type { ClusterProjection } from "../drivers/kubernetes/start-cluster-projection.ts";
import { createEventBus } from "./event-bus.ts";

/** Wires the real adapters into the services the transports call. */
export function createAppServices(options: {
  ledger: Ledger;
  home: string;
  publicBaseUrl: string;
  startedAt: Date;
  offers: AppServices["offers"];
  models: AppServices["models"];
  secrets: SecretStore;
  settings: SettingsStore;
  chainRuntime: ChainRuntimeHandle;
  identity: AppServices["identity"];
  site: AppServices["site"];
  /** The kubernetes driver's projection (null with the local driver). */
  cluster?: ClusterProjection | null;
  /** The bus the gateway and reconciler publish to; a fresh one when not given. */
  events?: EventBus;
}): AppServices {
  const { ledger, home, publicBaseUrl, startedAt, secrets, settings, chainRuntime } = options;
  const audit = createAuditLog({ db: ledger.db });
  const apiTokens = createApiTokenRepository({ db: ledger.db });
  const devnet = createDevnetService({ secrets, settings });
  return {
    auth: createAdminAuthService({
      repository: createAdminAuthRepository({ db: ledger.db }),
      audit,
      isOwnerToken: async (token) => (await apiTokens.findActive(token))?.scope === "admin",
    }),
    events: options.events ?? createEventBus(),
    payees: createDefaultPayeesService({ settings, audit }),
    cluster: createClusterService({ projection: options.cluster ?? null, settings }),
    storefront: createStorefrontService({
      showOffer: (name) => options.offers.show({ name }),
      devnetInfo: () => devnet.info(),
    }),
    offerSearch: createOfferSearchService({ offers: createOfferRepository({ db: ledger.db }), site: options.site }),
    version: tollgateVersion,
    offers: options.offers,
    models: options.models,
    identity: options.identity,
    site: options.site,
    chains: createChainsService({ runtime: chainRuntime }),
    devnet,
    tokens: createApiTokenService({ store: apiTokens, audit }),
    payments: createPaymentsService({ repository: createPaymentRepository({ db: ledger.db }) }),
    analytics: createAnalyticsService({ repository: createAnalyticsRepository({ db: ledger.db }) }),
    system: {
      async getInfo() {
        return {
          version: tollgateVersion,
          startedAt: startedAt.toISOString(),
          uptimeSeconds: Math.floor((Date.now() - startedAt.getTime()) / 1000),
          database: { mode: ledger.mode, serverVersion: ledger.serverVersion },
          migrations: { applied: ledger.migrations.total },
          home,
          publicBaseUrl: await options.site.getPublicBaseUrl().catch(() => publicBaseUrl),
        };
      },
    },
  };
}
