import { createHash } from "node:crypto";
import { type EventBus, type OfferWithConditions, subscribeTo } from "@tollgate/core";
import {
  createDocumentSegmentRenderer,
  type DiscoveryDocumentKind,
  type DiscoveryInput,
  type DocumentSegment,
} from "@tollgate/core/discovery/index";
import type { IdentityRepository } from "@tollgate/core/identity/index";
import { brotliBody, type ContentCoding, concatSegments, createSegmentGzip, gzipBody } from "./compress-document.ts";
import type { SiteSettingsService } from "@tollgate/core/site/index";

export type { ContentCoding } from "./compress-document.ts";
export type { DiscoveryDocumentKind } from "@tollgate/core/discovery/index";

/** A rendered document kept serialized, with its validator and its compressed forms. */
export interface RenderedDocument {
  /** The body as UTF-8 bytes. */
  bytes: Buffer;
  /** Strong ETag of the body (quoted). */
  etag: string;
  contentType: string;
  /**
   * The body in the first of `accepted` that is ready, else identity (`coding` null). Gzip is made on the
   * first ask (incrementally for the live documents); brotli is made in the background once asked for and
   * served from then on.
   */
  encode(accepted: readonly ContentCoding[]): Promise<{ coding: ContentCoding | null; body: Buffer }>;
}

const contentTypes: Record<DiscoveryDocumentKind, string> = {
  catalog: "application/json; charset=utf-8",
  skill: "text/markdown; charset=utf-8",
  registration: "application/json; charset=utf-8",
};

const kinds: DiscoveryDocumentKind[] = ["catalog", "skill", "registration"];

/** A strong ETag for a body. */
export function computeEtag(bytes: Buffer | string): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}

/** A document that never changes (the schemas): both compressed forms are made once, in the background. */
export function prepareStaticDocument(body: string, contentType: string): RenderedDocument {
  const bytes = Buffer.from(body, "utf8");
  const forms: Record<ContentCoding, Promise<Buffer | null>> = {
    br: brotliBody(bytes).catch(() => null),
    gzip: gzipBody(bytes).catch(() => null),
  };
  return {
    bytes,
    etag: computeEtag(bytes),
    contentType,
    async encode(accepted) {
      for (const coding of accepted) {
        const body = await forms[coding];
        if (body) return { coding, body };
      }
      return { coding: null, body: bytes };
    },
  };
}

/** Where the documents read the offers from: the reconciler's informer (settled), or the ledger. */
export interface DiscoveryOfferSource {
  list(): Promise<OfferWithConditions[]>;
}

/**
 * The discovery documents, kept serialized and rendered incrementally (SPEC §8, §9 "at scale"). Every
 * ledger-change event that can change them (`offer.changed`, `conditions`, `identity.changed`,
 * `settings.changed`, `ledger.replaced`) only marks them stale: nothing is rendered until a document is
 * asked for, so a burst of changes costs nothing per change. The next request reads the snapshot (the
 * informer, in memory) and assembles the document from per-offer parts kept by core's segment renderer —
 * only offers that changed are rendered again — and gzip likewise re-compresses only the chunks that
 * changed. A request while stale waits for that (it reads its own writes); otherwise it is served from
 * memory. A document also goes stale by itself when a listed offer's drain ends.
 */
export function createDiscoveryService({
  offers,
  identities,
  site,
  events,
  clock = () => new Date(),
}: {
  offers: DiscoveryOfferSource;
  identities: Pick<IdentityRepository, "list">;
  site: Pick<SiteSettingsService, "get">;
  /** Ledger changes arrive here; without a bus, call `invalidate()`. */
  events?: EventBus;
  clock?: () => Date;
}) {
  interface Built {
    version: number;
    expiresAt: number;
    document: RenderedDocument;
  }
  const renderer = createDocumentSegmentRenderer();
  const gzips = new Map(kinds.map((kind) => [kind, createSegmentGzip()]));
  const built = new Map<DiscoveryDocumentKind, Built>();
  const building = new Map<DiscoveryDocumentKind, { version: number; promise: Promise<Built> }>();
  let version = 0;
  let lastBuildMs = 0;
  let stats = { loads: 0, renders: 0 };

  /** Brotli runs one at a time, for the newest document asked for. */
  let brotliRunning = false;
  let brotliWanted: (() => Promise<void>) | null = null;
  function runBrotli(job: () => Promise<void>): void {
    brotliWanted = job;
    if (brotliRunning) return;
    brotliRunning = true;
    void (async () => {
      while (brotliWanted) {
        const next = brotliWanted;
        brotliWanted = null;
        await next().catch(() => {});
      }
      brotliRunning = false;
    })();
  }

  function liveDocument(kind: DiscoveryDocumentKind, segments: DocumentSegment[]): RenderedDocument {
    const bytes = concatSegments(segments);
    const gzipSegments = gzips.get(kind) as ReturnType<typeof createSegmentGzip>;
    let gzipped: Promise<Buffer> | null = null;
    let br: Buffer | null = null;
    let brAsked = false;
    const document: RenderedDocument = {
      bytes,
      etag: computeEtag(bytes),
      contentType: contentTypes[kind],
      async encode(accepted) {
        for (const coding of accepted) {
          if (coding === "br") {
            if (br) return { coding, body: br };
            if (!brAsked) {
              brAsked = true;
              runBrotli(async () => {
                if (built.get(kind)?.document === document) br = await brotliBody(bytes);
                else brAsked = false;
              });
            }
          } else {
            gzipped ??= gzipSegments(segments, bytes);
            return { coding, body: await gzipped };
          }
        }
        return { coding: null, body: bytes };
      },
    };
    return document;
  }

  async function build(kind: DiscoveryDocumentKind): Promise<Built> {
    const at = version;
    const [offerRows, identityRows, settings] = await Promise.all([offers.list(), identities.list(), site.get()]);
    const started = performance.now();
    const input: DiscoveryInput = {
      offers: offerRows,
      identities: identityRows,
      profile: settings.profile,
      publicBaseUrl: settings.publicBaseUrl,
      now: clock(),
    };
    stats.loads += 1;
    const doc = renderer.render(kind, input);
    stats.renders += 1;
    const result: Built = {
      version: at,
      expiresAt: doc.expiresAt ? doc.expiresAt.getTime() : Number.POSITIVE_INFINITY,
      document: liveDocument(kind, doc.segments),
    };
    lastBuildMs = performance.now() - started;
    return result;
  }

  function isFresh(entry: Built | undefined): entry is Built {
    return entry !== undefined && entry.version === version && entry.expiresAt > clock().getTime();
  }

  function rebuild(kind: DiscoveryDocumentKind): Promise<Built> {
    const running = building.get(kind);
    if (running && running.version === version) return running.promise;
    // One build per document at a time: a newer one starts after the one running.
    const promise = (running?.promise.catch(() => null) ?? Promise.resolve(null)).then(() => build(kind));
    const entry = { version, promise };
    building.set(kind, entry);
    promise.then(
      (result) => {
        const current = built.get(kind);
        if (!current || result.version >= current.version) built.set(kind, result);
        if (building.get(kind) === entry) building.delete(kind);
      },
      () => {
        if (building.get(kind) === entry) building.delete(kind);
      },
    );
    return promise;
  }

  function invalidate(): void {
    version += 1;
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
      const current = built.get(kind);
      return (isFresh(current) ? current : await rebuild(kind)).document;
    },
    /** Renders every document and its gzip form now (at start, so the first requests find them ready). */
    async warm(): Promise<void> {
      for (const kind of kinds) {
        const document = (isFresh(built.get(kind)) ? built.get(kind) : await rebuild(kind))?.document;
        await document?.encode(["gzip"]);
      }
    },
    /** Marks the documents stale: the next request reads the snapshot again. */
    invalidate,
    /** Snapshot reads and renders so far, and the last render's duration (tests and the benchmark). */
    stats: () => ({ ...stats, lastBuildMs }),
    resetStats(): void {
      stats = { loads: 0, renders: 0 };
    },
    stop(): void {
      unsubscribe();
    },
  };
}

export type DiscoveryService = ReturnType<typeof createDiscoveryService>;
