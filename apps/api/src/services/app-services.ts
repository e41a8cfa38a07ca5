import type { AnalyticsService } from "@tollgate/core/analytics/index";
import type {
  AdminAuthService,
  AgentsService,
  ApiTokenService,
  EventBus,
  ModelsService,
  OfferSearchService,
  OfferService,
  OfferView,
} from "@tollgate/core";
import type { DefaultPayeesService } from "@tollgate/core/payees/manage-default-payees";
import type { PaymentsService } from "@tollgate/core/payments/index";
import type { ChainsService } from "@tollgate/core/chains/index";
import type { AgentPayer } from "../agents/create-agent-payer.ts";
import type { DevnetService } from "../chain/create-devnet-service.ts";
import type { ClusterService } from "../drivers/kubernetes/create-cluster-service.ts";
import type { SiteSettingsService } from "@tollgate/core/site/index";
import type { IdentityService } from "@tollgate/core/identity/index";
import type { StorefrontService } from "@tollgate/core/storefront/index";

/** The agents service plus the outbound payer (x402 from the agent's wallet) and devnet funding. */
export type AgentsAppService = AgentsService & AgentPayer;

/** The offer service as transports see it: the core service plus `probe` (reconcile now, then show). */
export type OffersAppService = OfferService & { probe(input: { name: string }): Promise<OfferView> };

export interface ServerInfo {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  database: { mode: "embedded" | "external"; serverVersion: string };
  migrations: { applied: number };
  home: string;
  publicBaseUrl: string;
}

/** Everything the transports (tRPC, HTTP, CLI) call into: real adapters wired to core services. */
export interface AppServices {
  version: string;
  tokens: ApiTokenService;
  /** Offers: create, update, stop, start, delete, list, show, probe (changes go out as `offer.changed`). */
  offers: OffersAppService;
  /** Seller analytics from the rollups: revenue series, funnel, latency, per-offer rows, top payers. */
  analytics: AnalyticsService;
  /** Providers and models (SPEC §13); a provider's key is write-only. */
  models: ModelsService;
  /** Agents (SPEC §13): wallets minted once, agent-backed offers, spend policies, outbound payments. */
  agents: AgentsAppService;
  /** The payments ledger: pages of payments and the revenue report. */
  payments: PaymentsService;
  system: {
    getInfo(): Promise<ServerInfo>;
  };
  /** Enabled chains with facilitator health. */
  chains: ChainsService;
  /** The embedded devnet's facts (NOT_READY when the server runs without it). */
  devnet: DevnetService;
  /** ERC-8004 identities and `offers register`. */
  identity: IdentityService;
  /** Public base URL and storefront profile. */
  site: SiteSettingsService;
  /** Owner password login and sessions (SPEC §11). */
  auth: AdminAuthService;
  /** The event bus: the services, the gateway and the loops publish; the loops and the live stream subscribe. */
  events: EventBus;
  /** Public storefront actions (Try it on devnet offers). */
  storefront: StorefrontService;
  /** Pages of offers: the public storefront listing and the admin offers table. */
  offerSearch: OfferSearchService;
  /** The kubernetes driver's status and the Gateway setting (SPEC §12). */
  cluster: ClusterService;
  /** Default payee per chain. */
  payees: DefaultPayeesService;
}
