import type { Offer } from "../offers/offer.ts";
import type { DiscoveryInput } from "./discovery-input.ts";
import { renderRegistrationEnvelope, toRegistrationServices } from "./render-agent-registration.ts";
import { type CatalogService, renderCatalogEnvelope, toCatalogService } from "./render-service-catalog.ts";
import { renderSkillFrame, renderSkillServiceRow, renderSkillServiceSection } from "./render-skill-markdown.ts";
import { findNextDrainEnd, type ListedOffer, selectListedOffers } from "./select-listed-offers.ts";

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
  context: string;
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
  let serial = 0;

  function partsOf(item: ListedOffer, publicBaseUrl: string): OfferParts {
    const context = `${publicBaseUrl}\n${item.drainEndsAt ?? ""}\n${item.registrationPending}`;
    let found = parts.get(item.offer);
    if (!found || found.context !== context) {
      serial += 1;
      found = { context, serial };
      parts.set(item.offer, found);
    }
    return found;
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
      const listed = selectListedOffers({ offers: input.offers, now: input.now });
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
