import { createHash } from "node:crypto";
import type { OfferRepository } from "@tollgate/core";
import {
  type DiscoveryInput,
  findNextDrainEnd,
  renderAgentRegistration,
  renderServiceCatalog,
  renderSkillMarkdown,
  selectListedOffers,
} from "@tollgate/core/discovery/index";
import type { IdentityRepository } from "@tollgate/core/identity/index";
import type { SiteSettingsService } from "./create-site-settings-service.ts";

/** The three public documents. */
export type DiscoveryDocumentKind = "catalog" | "skill" | "registration";

/** A rendered document with its validator. */
export interface RenderedDocument {
  body: string;
  /** Strong ETag of the body (quoted). */
  etag: string;
  contentType: string;
}

const contentTypes: Record<DiscoveryDocumentKind, string> = {
  catalog: "application/json; charset=utf-8",
  skill: "text/markdown; charset=utf-8",
  registration: "application/json; charset=utf-8",
};

/** A strong ETag for a body. */
export function computeEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

function renderDocument(kind: DiscoveryDocumentKind, input: DiscoveryInput): string {
  if (kind === "skill") return renderSkillMarkdown(input);
  const doc = kind === "catalog" ? renderServiceCatalog(input) : renderAgentRegistration(input);
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The discovery documents rendered from the ledger by core's pure renderers and cached: one ledger read
 * per invalidation, each document rendered on first request. `invalidate()` is called on every ledger
 * change (offer changes, reconciler runs, identity and site-setting changes); a cached snapshot also
 * expires by itself when a listed offer's drain ends.
 */
export function createDiscoveryService({
  offers,
  identities,
  site,
  clock = () => new Date(),
}: {
  offers: OfferRepository;
  identities: IdentityRepository;
  site: Pick<SiteSettingsService, "get">;
  clock?: () => Date;
}) {
  interface Snapshot {
    input: DiscoveryInput;
    expiresAt: number;
    documents: Map<DiscoveryDocumentKind, RenderedDocument>;
  }
  let version = 0;
  let snapshot: Promise<Snapshot> | null = null;
  let stats = { loads: 0, renders: 0 };

  async function loadSnapshot(): Promise<Snapshot> {
    const [offerRows, identityRows, settings] = await Promise.all([offers.list(), identities.list(), site.get()]);
    const now = clock();
    const input: DiscoveryInput = {
      offers: offerRows,
      identities: identityRows,
      profile: settings.profile,
      publicBaseUrl: settings.publicBaseUrl,
      now,
    };
    stats.loads += 1;
    const nextEnd = findNextDrainEnd(selectListedOffers({ offers: offerRows, now }));
    return { input, expiresAt: nextEnd ? nextEnd.getTime() : Number.POSITIVE_INFINITY, documents: new Map() };
  }

  async function current(): Promise<Snapshot> {
    const started = version;
    if (snapshot) {
      const cached = await snapshot.catch(() => null);
      if (cached && cached.expiresAt > clock().getTime() && started === version) return cached;
    }
    const loading = loadSnapshot();
    snapshot = loading;
    loading.catch(() => {
      if (snapshot === loading) snapshot = null;
    });
    return loading;
  }

  return {
    /** The document, from the cache when nothing changed since it was rendered. */
    async get(kind: DiscoveryDocumentKind): Promise<RenderedDocument> {
      const snap = await current();
      let doc = snap.documents.get(kind);
      if (!doc) {
        const body = renderDocument(kind, snap.input);
        doc = { body, etag: computeEtag(body), contentType: contentTypes[kind] };
        snap.documents.set(kind, doc);
        stats.renders += 1;
      }
      return doc;
    },
    /** Drops the cached snapshot: the next request reads the ledger again. */
    invalidate(): void {
      version += 1;
      snapshot = null;
    },
    /** Ledger reads and renders so far (tests and the benchmark look at them). */
    stats: () => ({ ...stats }),
    resetStats(): void {
      stats = { loads: 0, renders: 0 };
    },
  };
}

export type DiscoveryService = ReturnType<typeof createDiscoveryService>;
