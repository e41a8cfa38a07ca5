import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuditSink, ChainRuntime, SecretStore, SettingsStore } from "@tollgate/core";
import type { IdentityRecord } from "@tollgate/core/identity/index";
import type { Db } from "@tollgate/db";
import { createIdentityRepository } from "@tollgate/db/repositories/identities";
import { createOfferRepository } from "@tollgate/db/repositories/offers";
import { createIdentityService, type IdentityService } from "../identity/create-identity-service.ts";
import { createRegistrar, type Registrar, type RegistrarLog } from "../identity/create-registrar.ts";
import { createDiscoveryService, type DiscoveryService } from "./create-discovery-service.ts";
import { createSiteSettingsService, type SiteSettingsService } from "./create-site-settings-service.ts";
import { handleDiscoveryRequest } from "./handle-discovery-request.ts";

/** What the reconciler gets from the publication side (see startReconciler's options). */
export interface ReconcilerPublicationHooks {
  readIdentities: () => Promise<Map<string, IdentityRecord>>;
  /** After every reconciler run: documents re-render, the registrar looks again. */
  onRun: () => void;
  /** After every offer change (before the reconcile it triggers). */
  onOfferChange: () => void;
}

export interface RunningDiscovery {
  site: SiteSettingsService;
  discovery: DiscoveryService;
  registrar: Registrar;
  hooks: ReconcilerPublicationHooks;
  /** Lets identity changes wake the reconciler (created after this). */
  attachReconciler(reconciler: { wake(): void }): void;
  /** The `offers register` / identity list service, once the offer service exists. */
  createIdentityService(offers: Parameters<typeof createIdentityService>[0]["offers"]): IdentityService;
  /** Serves the discovery documents and schemas; false for other paths. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * The publication half of the server: site settings (public base URL, storefront profile), the cached
 * discovery documents and the ERC-8004 registrar. Every ledger change invalidates the documents: offer
 * changes and reconciler runs (through `hooks`), identity changes (registrar) and setting changes; a public
 * URL change also wakes the registrar, which updates each minted agent's URI with one `setAgentURI`.
 */
export async function startDiscovery({
  db,
  chains,
  secrets,
  settings,
  defaultPublicBaseUrl,
  log,
  audit,
}: {
  db: Db;
  chains: ChainRuntime | undefined;
  secrets: SecretStore;
  settings: SettingsStore;
  /** TOLLGATE_PUBLIC_URL, else the serve origin: used until the ledger setting is set. */
  defaultPublicBaseUrl: string;
  log: RegistrarLog;
  audit?: AuditSink;
}): Promise<RunningDiscovery> {
  const site = createSiteSettingsService({ settings, defaultPublicBaseUrl, audit });
  await site.get();
  const identities = createIdentityRepository({ db });
  const offers = createOfferRepository({ db });
  const discovery = createDiscoveryService({ offers, identities, site });
  let wakeReconciler = () => {};
  const registrar = createRegistrar({
    identities,
    offers,
    chains,
    secrets,
    getPublicBaseUrl: () => site.getPublicBaseUrl(),
    log,
    onChange: () => {
      discovery.invalidate();
      wakeReconciler();
    },
  });
  site.onChange(() => {
    discovery.invalidate();
    registrar.wake();
  });
  return {
    site,
    discovery,
    registrar,
    hooks: {
      readIdentities: async () => new Map((await identities.list()).map((identity) => [identity.chain, identity])),
      onRun: () => {
        discovery.invalidate();
        registrar.wake();
      },
      onOfferChange: () => discovery.invalidate(),
    },
    attachReconciler(reconciler) {
      wakeReconciler = () => reconciler.wake();
    },
    createIdentityService: (offerService) => createIdentityService({ identities, registrar, offers: offerService }),
    handle: (req, res, pathname) => handleDiscoveryRequest({ req, res, pathname, discovery }),
    stop: () => registrar.stop(),
  };
}
