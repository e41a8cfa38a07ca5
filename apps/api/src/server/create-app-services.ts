import { createApiTokenService, type SecretStore, type SettingsStore, tollgateVersion } from "@tollgate/core";
import { createPaymentsService } from "@tollgate/core/payments/index";
import { createApiTokenRepository, createAuditLog, createPaymentRepository, type Ledger } from "@tollgate/db";
import { type ChainRuntimeHandle, createChainsService, createDevnetService } from "../chain/index.ts";
import type { AppServices } from "./app-services.ts";

/** Wires the real adapters into the services the transports call. */
export function createAppServices(options: {
  ledger: Ledger;
  home: string;
  publicBaseUrl: string;
  startedAt: Date;
  offers: AppServices["offers"];
  secrets: SecretStore;
  settings: SettingsStore;
  chainRuntime: ChainRuntimeHandle;
  identity: AppServices["identity"];
  site: AppServices["site"];
}): AppServices {
  const { ledger, home, publicBaseUrl, startedAt, secrets, settings, chainRuntime } = options;
  const audit = createAuditLog({ db: ledger.db });
  return {
    version: tollgateVersion,
    offers: options.offers,
    identity: options.identity,
    site: options.site,
    chains: createChainsService({ runtime: chainRuntime }),
    devnet: createDevnetService({ secrets, settings }),
    tokens: createApiTokenService({ store: createApiTokenRepository({ db: ledger.db }), audit }),
    payments: createPaymentsService({ repository: createPaymentRepository({ db: ledger.db }) }),
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
