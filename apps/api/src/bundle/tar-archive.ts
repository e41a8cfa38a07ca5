import { createGunzip, gzipSync } from "node:zlib";
import { bundleLimits, linkStaysInside, unsafeEntryNameReason } from "@tollgate/core";

/** One archive entry: a file (with data), a directory, or a link. */
export interface TarEntry {
  name: string;
  type: "file" | "directory" | "symlink" | "hardlink";
  data?: Buffer;
  linkTarget?: string;
  mode?: number;
}

const BLOCK = 512;
const typeFlags = { file: "0", hardlink: "1", symlink: "2", directory: "5" } as const;

function writeString(header: Buffer, value: string, offset: number, length: number): void {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  bytes.copy(header, offset);
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  writeString(header, `${value.toString(8).padStart(length - 1, "0")}\0`, offset, length);
}

function buildHeader(entry: TarEntry, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  writeString(header, entry.name, 0, 100);
  writeOctal(header, entry.mode ?? (entry.type === "directory" ? 0o700 : 0o600), 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeOctal(header, size, 124, 12);
  writeOctal(header, Math.floor(Date.now() / 1000), 136, 12);
  header.fill(" ", 148, 156);
  writeString(header, typeFlags[entry.type], 156, 1);
  if (entry.linkTarget) writeString(header, entry.linkTarget, 157, 100);
  writeString(header, "ustar\u000000", 257, 8);
  let sum = 0;
  for (const byte of header) sum += byte;
  writeString(header, `${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return header;
}

/** A gzip-compressed ustar archive of the entries, in order. */
export function createTarGz(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === "file" ? (entry.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    parts.push(buildHeader(entry, data.length), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}

/** Thrown for an archive Tollgate refuses to read; nothing has been changed when it is thrown. */
export class UnsafeArchiveError extends Error {}

/** Decompresses with the bomb guard of SPEC §10: abort past 64 MiB at a ratio above 100:1. */
async function gunzipGuarded(compressed: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    gunzip.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > bundleLimits.bombBytes && total / Math.max(compressed.length, 1) > bundleLimits.maxRatio) {
        gunzip.destroy();
        reject(
          new UnsafeArchiveError(
            `archive refused: it expands past ${bundleLimits.bombBytes / 1024 / 1024} MiB at a ratio above ${bundleLimits.maxRatio}:1 (a decompression bomb)`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on("error", (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "Z_DATA_ERROR"
          ? "it is not a gzip file"
          : error.code === "Z_BUF_ERROR"
            ? "it is truncated"
            : error.message;
      reject(new UnsafeArchiveError(`archive refused: ${why}`));
    });
    gunzip.on("end", () => resolve(Buffer.concat(chunks)));
    gunzip.end(compressed);
  });
}

function readString(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString("utf8");
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text))
    throw new UnsafeArchiveError("archive refused: a header field is not octal (corrupt tar)");
  return text ? Number.parseInt(text, 8) : 0;
}

/**
 * Reads a .tar.gz entirely in memory (nothing touches the disk) and refuses anything unsafe:
 * absolute or `..` names, links escaping the root, unknown entry types, bombs, truncated input.
 * `maxFirstEntryBytes` bounds the first entry (the manifest).
 */
export async function readTarGz(
  compressed: Buffer,
  options: { maxFirstEntryBytes?: number } = {},
): Promise<TarEntry[]> {
  const tar = await gunzipGuarded(compressed);
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] as number);
    if (readOctal(header, 148, 8) !== sum) throw new UnsafeArchiveError("archive refused: bad tar header checksum");
    const size = readOctal(header, 124, 12);
    const flag = readString(header, 156, 1) || "0";
    const prefix = readString(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100));
    longName = undefined;
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new UnsafeArchiveError("archive refused: it is truncated");
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === "L") {
      longName = data.toString("utf8").replace(/\0+$/, "");
      continue;
    }
    if (flag === "x" || flag === "g") continue; // pax metadata: names we need are in the ustar header
    const cleanName = name.replace(/^\.\//, "").replace(/\/$/, "");
    const unsafe = unsafeEntryNameReason(cleanName);
    if (unsafe) throw new UnsafeArchiveError(`archive refused: ${unsafe}`);
    if (entries.length === 0 && options.maxFirstEntryBytes !== undefined && size > options.maxFirstEntryBytes) {
      throw new UnsafeArchiveError(
        `archive refused: ${cleanName} is ${size} bytes, over the ${options.maxFirstEntryBytes}-byte limit`,
      );
    }
    if (flag === "1" || flag === "2") {
      const target = readString(header, 157, 100);
      const inside = flag === "1" ? unsafeEntryNameReason(target) === null : linkStaysInside(cleanName, target);
      if (!inside) throw new UnsafeArchiveError(`archive refused: ${cleanName} links outside the archive (${target})`);
      entries.push({ name: cleanName, type: flag === "1" ? "hardlink" : "symlink", linkTarget: target });
      continue;
    }
    if (flag === "5") {
      entries.push({ name: cleanName, type: "directory" });
      continue;
    }
    if (flag !== "0")
      throw new UnsafeArchiveError(`archive refused: ${cleanName} has an unsupported entry type "${flag}"`);
    entries.push({ name: cleanName, type: "file", data: Buffer.from(data) });
  }
  return entries;
}
