import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform } from "node:stream";

/** The largest body tRPC and the web app accept (JSON inputs are small; the backup upload has its own limit). */
export const maxJsonBodyBytes = 1024 * 1024;

/** The default largest request body a paid route forwards to its upstream. */
export const defaultMaxPaidBodyBytes = 10 * 1024 * 1024;

/** Thrown by a limited body stream once more than its limit has arrived. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${describeBytes(maxBytes)}`);
    this.name = "BodyTooLargeError";
  }
}

/** `1 MiB`, `10 MiB`, `512 KiB`. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/** True when the request declares (Content-Length) a body larger than `maxBytes`. */
export function declaresBodyOver(req: IncomingMessage, maxBytes: number): boolean {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  return Number.isFinite(declared) && declared > maxBytes;
}

// How long a refused upload may keep its connection open, so the client reads the answer first.
const refusedUploadGraceMs = 1_000;

/**
 * After an early answer, reads nothing more of the body: the request stays paused (nothing is buffered past
 * the stream's small high-water mark, and TCP pushes back on the sender) and the connection is cut after a
 * short grace unless the body has ended by then.
 */
export function stopReadingBody(req: IncomingMessage): void {
  if (req.complete) return;
  req.removeAllListeners("data");
  req.unpipe();
  req.pause();
  // Marks the stream as consumed, so node does not drain (read and discard) the rest once the answer is out.
  req.read(0);
  setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, refusedUploadGraceMs).unref();
}

/** Answers 413 without reading (more of) the body; `body` is the JSON the caller's transport speaks. */
export function refuseBody(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  stopReadingBody(req);
  res.writeHead(413, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

/**
 * Refuses (413, nothing buffered) a request that declares a body over `maxBytes`; true when
 * it did. Bodies without a declared length are bounded while they are read (`maxBodySize`, `limitBody`).
 */
export function refuseDeclaredBodyOver(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  if (!declaresBodyOver(req, maxBytes)) return false;
  refuseBody(req, res, {
    code: "PAYLOAD_TOO_LARGE",
    message: `The request body is larger than ${describeBytes(maxBytes)}`,
  });
  return true;
}

/** Passes the body through, failing with BodyTooLargeError once more than `maxBytes` have arrived. */
export function limitBody(body: IncomingMessage, maxBytes: number): Transform {
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new BodyTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  body.on("error", (error) => limited.destroy(error));
  return body.pipe(limited);
}
