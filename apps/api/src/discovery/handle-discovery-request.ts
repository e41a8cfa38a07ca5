import type { IncomingMessage, ServerResponse } from "node:http";
import { discoveryPaths } from "@tollgate/core/discovery/index";
import {
  type ContentCoding,
  type DiscoveryDocumentKind,
  type DiscoveryService,
  prepareStaticDocument,
  type RenderedDocument,
} from "./create-discovery-service.ts";
import { readSchemaFile, type SchemaFileName, schemaFileNames } from "./schema-files.ts";

const documentPaths: Record<string, DiscoveryDocumentKind> = {
  [discoveryPaths.catalog]: "catalog",
  [discoveryPaths.skill]: "skill",
  [discoveryPaths.registration]: "registration",
};

const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "If-None-Match, Content-Type",
  "access-control-expose-headers": "ETag",
  "access-control-max-age": "86400",
};

/** The ETag of a compressed representation: the document's, marked with the coding (`"…-br"`). */
function codedEtag(etag: string, coding: ContentCoding | null): string {
  return coding ? `${etag.slice(0, -1)}-${coding}"` : etag;
}

/**
 * True when an `If-None-Match` header matches the document's ETag (weak comparison, `*` matches anything).
 * A tag of any of the document's representations matches: they all carry the same content.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) =>
    tag
      .trim()
      .replace(/^W\//, "")
      .replace(/-(br|gzip)"$/, '"');
  return header.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

/** The codings the client accepts, brotli before gzip (the order they are tried in); identity is always acceptable. */
export function acceptedCodings(header: string | undefined): ContentCoding[] {
  if (!header) return [];
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name = "", ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (coding: string) => accepted.get(coding) ?? accepted.get("*") ?? 0;
  return (["br", "gzip"] as const).filter((coding) => weight(coding) > 0);
}

/** The public paths this handler answers. */
export function isDiscoveryPath(pathname: string): boolean {
  return pathname in documentPaths || (pathname.startsWith("/schemas/") && schemaDocuments().has(pathname));
}

let schemaCache: Map<string, RenderedDocument> | null = null;
function schemaDocuments(): Map<string, RenderedDocument> {
  if (!schemaCache) {
    schemaCache = new Map(
      schemaFileNames.map((name: SchemaFileName) => {
        const body = `${JSON.stringify(readSchemaFile(name), null, 2)}\n`;
        return [`/schemas/${name}`, prepareStaticDocument(body, "application/schema+json; charset=utf-8")];
      }),
    );
  }
  return schemaCache;
}

async function send(req: IncomingMessage, res: ServerResponse, doc: RenderedDocument): Promise<void> {
  const { coding, body } = await doc.encode(acceptedCodings(req.headers["accept-encoding"]));
  const headers = {
    ...corsHeaders,
    etag: codedEtag(doc.etag, coding),
    // Always revalidate: the ETag makes that a 304 when nothing changed.
    "cache-control": "public, no-cache",
    vary: "Accept-Encoding",
  };
  if (matchesIfNoneMatch(req.headers["if-none-match"], doc.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    "content-type": doc.contentType,
    "content-length": body.length,
    ...(coding ? { "content-encoding": coding } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Serves `/api/services.json`, `/skill.md`, `/.well-known/agent-registration.json` and `/schemas/<file>`:
 * GET and HEAD with ETag / If-None-Match → 304, CORS open to any origin, OPTIONS preflight; other methods 405.
 * Returns false for any other path.
 */
export async function handleDiscoveryRequest({
  req,
  res,
  pathname,
  discovery,
}: {
  req: IncomingMessage;
  res: ServerResponse;
  pathname: string;
  discovery: DiscoveryService;
}): Promise<boolean> {
  if (!isDiscoveryPath(pathname)) return false;
  const method = req.method ?? "GET";
  if (method === "OPTIONS") {
    res.writeHead(204, corsHeaders);
    res.end();
    return true;
  }
  if (method !== "GET" && method !== "HEAD") {
    const body = JSON.stringify({ code: "VALIDATION_FAILED", message: `${method} is not allowed on ${pathname}` });
    res.writeHead(405, {
      ...corsHeaders,
      allow: "GET, HEAD, OPTIONS",
      "content-type": "application/json; charset=utf-8",
    });
    res.end(body);
    return true;
  }
  const kind = documentPaths[pathname];
  const doc = kind ? await discovery.get(kind) : schemaDocuments().get(pathname);
  if (!doc) return false;
  await send(req, res, doc);
  return true;
}
