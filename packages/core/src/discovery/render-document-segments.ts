import type { Offer } from "../offers/offer.ts";
import type { OfferWithConditions } from "../offers/offer-repository.ts";
import type { DiscoveryInput } from "./discovery-input.ts";
import { renderRegistrationEnvelope, toRegistrationServices } from "./render-agent-registration.ts";
import { type CatalogService, renderCatalogEnvelope, toCatalogService } from "./render-service-catalog.ts";
import { renderSkillFrame, renderSkillServiceRow, renderSkillServiceSection } from "./render-skill-markdown.ts";
import { compareListed, findNextDrainEnd, type ListedOffer, selectListedOffers } from "./select-listed-offers.ts";

/** The three public documents. */
export type DiscoveryDocumentKind = "catalog" | "skill" | "registration";

/**
 * A piece of a rendered document: fixed text (`key` null), or the part one listed offer contributes,
 * whose `key` is the same exactly as long as that part is the same object (rendered once per offer version).
 */
export interface DocumentSegment {
  key: string | null;
  text: string;
}

/** A document as segments: its text is their concatenation. */
export interface SegmentedDocument {
  segments: DocumentSegment[];
  /** When a listed offer's drain ends the document changes by itself; null when none drains. */
  expiresAt: Date | null;
}

/** The text of a segmented document. */
export function joinSegments(doc: SegmentedDocument): string {
  return doc.segments.map((segment) => segment.text).join("");
}

/** JSON of a value nested two levels deep in a document pretty-printed with two spaces. */
function nestedJson(value: unknown): string {
  return `    ${JSON.stringify(value, null, 2).replace(/\n/g, "\n    ")}`;
}

/** Splits a pretty-printed envelope around its empty array `field` (a top-level key): before `[`, after `]`. */
function splitAround(envelope: object, field: string): [string, string] {
  const json = `${JSON.stringify(envelope, null, 2)}\n`;
  const marker = `\n  "${field}": []`;
  const at = json.indexOf(marker);
  return [`${json.slice(0, at + marker.length - 1)}\n`, `\n  ${json.slice(at + marker.length - 1)}`];
}

interface OfferParts {
  /** What the parts were rendered from besides the offer object. */
  publicBaseUrl: string;
  drainEndsAt: string | null;
  registrationPending: boolean;
  serial: number;
  service?: CatalogService | null;
  catalog?: DocumentSegment | null;
  row?: DocumentSegment | null;
  section?: DocumentSegment | null;
  registration?: DocumentSegment;
}

/**
 * The discovery documents rendered incrementally (SPEC §8, §9 "at scale"): each listed offer's part of each
 * document is rendered once per offer version and kept, so a change to one offer re-renders that offer only
 * and the documents are assembled from the kept parts. Offer versions are told apart by object identity (the
 * informer replaces an offer's object whenever it re-reads it). The text equals the plain renderers' output.
 */
export function createDocumentSegmentRenderer() {
  let parts = new WeakMap<Offer, OfferParts>();
  /** Whether each offer is listed, decided once per (offer, conditions) pair while it has no drain. */
  let listings = new WeakMap<Offer, { conditions: OfferWithConditions["conditions"]; item: ListedOffer | null }>();
  let serial = 0;
  let previous: { items: ListedOffer[]; sorted: ListedOffer[] } | null = null;

  function partsOf(item: ListedOffer, publicBaseUrl: string): OfferParts {
    const { drainEndsAt, registrationPending } = item;
    let found = parts.get(item.offer);
    if (
      !found ||
      found.publicBaseUrl !== publicBaseUrl ||
      found.drainEndsAt !== drainEndsAt ||
      found.registrationPending !== registrationPending
    ) {
      serial += 1;
      found = { publicBaseUrl, drainEndsAt, registrationPending, serial };
      parts.set(item.offer, found);
    }
    return found;
  }

  /** `selectListedOffers`, deciding again only offers whose object or conditions changed (or that drain). */
  function selectListed(input: DiscoveryInput): ListedOffer[] {
    const items: ListedOffer[] = [];
    for (const entry of input.offers) {
      const kept = listings.get(entry.offer);
      let item: ListedOffer | null | undefined;
      if (kept && kept.conditions === entry.conditions && entry.offer.drainAt === null) item = kept.item;
      else {
        item = selectListedOffers({ offers: [entry], now: input.now })[0] ?? null;
        listings.set(entry.offer, { conditions: entry.conditions, item });
      }
      if (item) items.push(item);
    }
    // The same listed offers as last time keep last time's order (no sort).
    if (previous && previous.items.length === items.length && previous.items.every((item, i) => items[i] === item)) {
      return previous.sorted;
    }
    const sorted = [...items].sort(compareListed);
    previous = { items, sorted };
    return sorted;
  }

  const keyOf = (item: ListedOffer, own: OfferParts, kind: string) => `${item.offer.id}#${own.serial}${kind}`;

  function serviceOf(item: ListedOffer, own: OfferParts, publicBaseUrl: string): CatalogService | null {
    if (own.service === undefined) {
      try {
        own.service = toCatalogService(item, publicBaseUrl);
      } catch {
        // A stored price that no longer parses leaves the offer out, as the plain renderers do.
        own.service = null;
      }
    }
    return own.service;
  }

  function renderCatalog(input: DiscoveryInput, listed: ListedOffer[]): DocumentSegment[] {
    const envelope = renderCatalogEnvelope(input);
    const entries: DocumentSegment[] = [];
    for (const item of listed) {
      const own = partsOf(item, input.publicBaseUrl);
      if (own.catalog === undefined) {
        const service = serviceOf(item, own, input.publicBaseUrl);
        own.catalog = service ? { key: keyOf(item, own, "c"), text: nestedJson(service) } : null;
      }
      if (own.catalog) entries.push(own.catalog);
    }
    if (entries.length === 0) return [{ key: null, text: `${JSON.stringify(envelope, null, 2)}\n` }];
    const [head, tail] = splitAround(envelope, "services");
    return interleave(head, entries, ",\n", tail);
  }

  function renderSkill(input: DiscoveryInput, listed: ListedOffer[]): DocumentSegment[] {
    const rows: DocumentSegment[] = [];
    const sections: DocumentSegment[] = [];
    for (const item of listed) {
      const own = partsOf(item, input.publicBaseUrl);
      if (own.row === undefined || own.section === undefined) {
        const service = serviceOf(item, own, input.publicBaseUrl);
        own.row = service ? { key: keyOf(item, own, "r"), text: `\n${renderSkillServiceRow(service)}` } : null;
        own.section = service ? { key: keyOf(item, own, "s"), text: `\n${renderSkillServiceSection(service)}` } : null;
      }
      if (own.row && own.section) {
        rows.push(own.row);
        sections.push(own.section);
      }
    }
    const frame = renderSkillFrame(input, rows.length);
    if (rows.length === 0) return [{ key: null, text: frame.empty }];
    return [{ key: null, text: frame.head }, ...rows, { key: null, text: frame.details }, ...sections];
  }

  function renderRegistration(input: DiscoveryInput, listed: ListedOffer[]): DocumentSegment[] {
    const publishable = listed.filter((item) => item.offer.registration.enabled);
    const envelope = renderRegistrationEnvelope(input, publishable);
    if (publishable.length === 0) return [{ key: null, text: `${JSON.stringify(envelope, null, 2)}\n` }];
    const entries = publishable.map((item) => {
      const own = partsOf(item, input.publicBaseUrl);
      own.registration ??= {
        key: keyOf(item, own, "g"),
        text: toRegistrationServices(item, input.publicBaseUrl).map(nestedJson).join(",\n"),
      };
      return own.registration;
    });
    const [head, tail] = splitAround(envelope, "services");
    return interleave(head, entries, ",\n", tail);
  }

  return {
    /** Renders one document from a ledger snapshot, re-rendering only offers not seen in this version. */
    render(kind: DiscoveryDocumentKind, input: DiscoveryInput): SegmentedDocument {
      const listed = selectListed(input);
      const segments =
        kind === "catalog"
          ? renderCatalog(input, listed)
          : kind === "skill"
            ? renderSkill(input, listed)
            : renderRegistration(input, listed);
      return { segments, expiresAt: findNextDrainEnd(listed) };
    },
    /** Forgets every kept part (the next render starts over). */
    clear(): void {
      parts = new WeakMap();
      listings = new WeakMap();
      previous = null;
    },
  };
}

export type DocumentSegmentRenderer = ReturnType<typeof createDocumentSegmentRenderer>;

function interleave(head: string, entries: DocumentSegment[], separator: string, tail: string): DocumentSegment[] {
  const out: DocumentSegment[] = [{ key: null, text: head }];
  entries.forEach((entry, i) => {
    if (i > 0) out.push({ key: null, text: separator });
    out.push(entry);
  });
  out.push({ key: null, text: tail });
  return out;
}
