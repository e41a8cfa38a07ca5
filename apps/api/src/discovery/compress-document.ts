import { promisify } from "node:util";
import { brotliCompress, crc32, deflateRaw, gzip, constants as zlibConstants } from "node:zlib";
import type { DocumentSegment } from "@tollgate/core/discovery/index";

const deflateRawAsync = promisify(deflateRaw);
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** A content coding a document is served in besides identity. */
export type ContentCoding = "br" | "gzip";

/** Gzip member header: deflate, no flags, no mtime, unknown OS. */
const gzipHeader = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final fixed-Huffman deflate block: ends the stream after the sync-flushed chunks. */
const finalBlock = Buffer.from([0x03, 0x00]);
/** A chunk ends after about 1 in 32 offers (chosen by the offer's id, so edits do not move boundaries), or at 256 KiB. */
const boundaryEvery = 32;
const maxChunkChars = 256 * 1024;

/** Each offer's segment as UTF-8, encoded once (segments of unchanged offers are the same objects). */
const encodedSegments = new WeakMap<DocumentSegment, Buffer>();
function bytesOf(segment: DocumentSegment): Buffer {
  let bytes = encodedSegments.get(segment);
  if (!bytes) {
    bytes = Buffer.from(segment.text, "utf8");
    if (segment.key !== null) encodedSegments.set(segment, bytes);
  }
  return bytes;
}

/** A document's body: its segments' bytes, concatenated (no re-encoding of unchanged offers). */
export function concatSegments(segments: DocumentSegment[]): Buffer {
  return Buffer.concat(segments.map(bytesOf));
}

/** FNV-1a of the offer id part of a segment key (`<id>#…`). */
function idHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length && key.charCodeAt(i) !== 35; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Gzip for documents assembled from segments, kept incrementally: the document is cut into chunks of
 * offers, each chunk is raw-deflated on its own and ended with a sync flush (byte-aligned, no references
 * across chunks), and the gzip body is the chunks concatenated between a header and a trailer (CRC-32 and
 * size of the whole). A chunk is compressed again only when one of its segments changed, so a change to
 * one offer costs one chunk, not the document. Decoders see one ordinary deflate stream.
 */
export function createSegmentGzip({ level = 6 }: { level?: number } = {}) {
  let kept = new Map<string, Promise<Buffer>>();

  return async function gzipSegments(segments: DocumentSegment[], bytes: Buffer): Promise<Buffer> {
    const chunks: { key: string; segments: DocumentSegment[] }[] = [];
    let keyParts: string[] = [];
    let members: DocumentSegment[] = [];
    let chars = 0;
    const cut = () => {
      if (members.length === 0) return;
      chunks.push({ key: keyParts.join("\n"), segments: members });
      keyParts = [];
      members = [];
      chars = 0;
    };
    for (const segment of segments) {
      keyParts.push(segment.key ?? `=${segment.text}`);
      members.push(segment);
      chars += segment.text.length;
      if ((segment.key !== null && idHash(segment.key) % boundaryEvery === 0) || chars >= maxChunkChars) cut();
    }
    cut();
    const next = new Map<string, Promise<Buffer>>();
    for (const chunk of chunks) {
      const deflated =
        kept.get(chunk.key) ??
        next.get(chunk.key) ??
        deflateRawAsync(concatSegments(chunk.segments), { level, finishFlush: zlibConstants.Z_SYNC_FLUSH });
      next.set(chunk.key, deflated);
    }
    // Only the chunks of the latest document are kept.
    kept = next;
    const bodies = await Promise.all(chunks.map((chunk) => next.get(chunk.key) as Promise<Buffer>)).catch(
      (error: unknown) => {
        // A failed chunk is not kept: the next document compresses it again.
        if (kept === next) kept = new Map();
        throw error;
      },
    );
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc32(bytes), 0);
    trailer.writeUInt32LE(bytes.length >>> 0, 4);
    return Buffer.concat([gzipHeader, ...bodies, finalBlock, trailer]);
  };
}

/** Brotli of a whole body (quality 5: a tenth of gzip's size on a catalog, in zlib's thread pool). */
export function brotliBody(bytes: Buffer): Promise<Buffer> {
  return brotliAsync(bytes, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
}

/** Gzip of a whole body (small static documents). */
export function gzipBody(bytes: Buffer): Promise<Buffer> {
  return gzipAsync(bytes, { level: 6 });
}
