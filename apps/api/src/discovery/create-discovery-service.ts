import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";
import { type EventBus, type OfferWithConditions, subscribeTo } from "@tollgate/core";
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

/** The content codings a document is kept in besides identity. */
export type ContentCoding = "br" | "gzip";

/** A rendered document with its validator, kept serialized (and compressed once that finished). */
export interface RenderedDocument {
  body: string;
  /** `body` as UTF-8 bytes. */
  bytes: Buffer;
  /** Strong ETag of the body (quoted). */
  etag: string;
  contentType: string;
  /** Compressed forms, filled in the background after rendering (absent until ready). */
  encoded: Partial<Record<ContentCoding, Buffer>>;
  /** Resolves when every compressed form is ready. */
  encodedReady: Promise<void>;
}

const contentTypes: Record<DiscoveryDocumentKind, string> = {
  catalog: "application/json; charset=utf-8",
  skill: "text/markdown; charset=utf-8",
  registration: "application/json; charset=utf-8",
};

const kinds: DiscoveryDocumentKind[] = ["catalog", "skill", "registration"];
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** A strong ETag for a body. */
export function computeEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** Serializes a body with its ETag and starts compressing it off the main thread (zlib's thread pool). */
export function prepareDocument(body: string, contentType: string): RenderedDocument {
  const bytes = Buffer.from(body, "utf8");
  const encoded: RenderedDocument["encoded"] = {};
  const encodedReady = Promise.all([
    gzipAsync(bytes, { level: 6 }).then((b) => {
      encoded.gzip = b;
    }),
    brotliAsync(bytes, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).then((b) => {
      encoded.br = b;
    }),
  ]).then(
    () => {},
    () => {},
  );
  return { body, bytes, etag: computeEtag(body), contentType, encoded, encodedReady };
}

function renderDocument(kind: DiscoveryDocumentKind, input: DiscoveryInput): string {
  if (kind === "skill") return renderSkillMarkdown(input);
  const doc = kind === "catalog" ? renderServiceCatalog(input) : renderAgentRegistration(input);
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Where the documents read the offers from: the reconciler's informer (settled), or the ledger. */
export interface DiscoveryOfferSource {
  list(): Promise<OfferWithConditions[]>;
}

/**
 * The discovery documents rendered from the ledger by core's pure renderers and kept serialized. Every
 * ledger-change event that can change them (`offer.changed`, `conditions`, `identity.changed`,
 * `settings.changed`, `ledger.replaced`) marks them stale; a burst of changes is coalesced into one rebuild,
 * which renders every document once and compresses it in the background. A request while stale waits for
 * the rebuild (it reads its own writes); a request otherwise is served from memory. A snapshot also expires
 * by itself when a listed offer's drain ends. The rebuild waits longer after a slow one, so a storm of
 * changes on a large catalog costs a bounded share of the CPU.
 */
export function createDiscoveryService({
  offers,
  identities,
  site,
  events,
  clock = () => new Date(),
  coalesceMs = 50,
  maxCoalesceMs = 2_000,
}: {
  offers: DiscoveryOfferSource;
  identities: Pick<IdentityRepository, "list">;
  site: Pick<SiteSettingsService, "get">;
  /** Ledger changes arrive here; without a bus, call `invalidate()`. */
  events?: EventBus;
  clock?: () => Date;
  coalesceMs?: number;
  maxCoalesceMs?: number;
}) {
  interface Snapshot {
    version: number;
    input: DiscoveryInput;
    expiresAt: number;
    documents: Map<DiscoveryDocumentKind, RenderedDocument>;
  }
  let version = 0;
  let snapshot: Snapshot | null = null;
  let building: { version: number; promise: Promise<Snapshot> } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastBuildMs = 0;
  let stats = { loads: 0, renders: 0 };

  async function build(): Promise<Snapshot> {
    const at = version;
    const started = performance.now();
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
    const built: Snapshot = {
      version: at,
      input,
      expiresAt: nextEnd ? nextEnd.getTime() : Number.POSITIVE_INFINITY,
      documents: new Map(),
    };
    for (const kind of kinds) {
      built.documents.set(kind, prepareDocument(renderDocument(kind, input), contentTypes[kind]));
      stats.renders += 1;
    }
    lastBuildMs = performance.now() - started;
    return built;
  }

  function rebuild(): Promise<Snapshot> {
    clearTimeout(timer);
    timer = undefined;
    if (building && building.version === version) return building.promise;
    const promise = (building?.promise.catch(() => null) ?? Promise.resolve(null)).then(() => build());
    const entry = { version, promise };
    building = entry;
    promise.then(
      (built) => {
        if (!snapshot || built.version >= snapshot.version) snapshot = built;
        if (building === entry) building = null;
      },
      () => {
        if (building === entry) building = null;
      },
    );
    return promise;
  }

  function isFresh(snap: Snapshot | null): snap is Snapshot {
    return snap !== null && snap.version === version && snap.expiresAt > clock().getTime();
  }

  function invalidate(): void {
    version += 1;
    if (timer) return;
    const delay = Math.min(maxCoalesceMs, Math.max(coalesceMs, 4 * lastBuildMs));
    timer = setTimeout(() => void rebuild().catch(() => {}), delay);
    timer.unref?.();
  }

  const unsubscribe = events
    ? subscribeTo(
        events,
        ["offer.changed", "conditions", "identity.changed", "settings.changed", "ledger.replaced"],
        invalidate,
      )
    : () => {};

  return {
    /** The document, from memory when nothing changed since it was rendered. */
    async get(kind: DiscoveryDocumentKind): Promise<RenderedDocument> {
      const snap = isFresh(snapshot) ? snapshot : await rebuild();
      const doc = snap.documents.get(kind);
      if (!doc) throw new Error(`no ${kind} document`);
      return doc;
    },
    /** Marks the documents stale: the next request (or the coalesced rebuild) reads the ledger again. */
    invalidate,
    /** Ledger reads and renders so far (tests and the benchmark look at them). */
    stats: () => ({ ...stats, lastBuildMs }),
    resetStats(): void {
      stats = { loads: 0, renders: 0 };
    },
    stop(): void {
      clearTimeout(timer);
      unsubscribe();
    },
  };
}

export type DiscoveryService = ReturnType<typeof createDiscoveryService>;
