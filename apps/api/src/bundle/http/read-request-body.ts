import type { IncomingMessage } from "node:http";
import { TollgateError } from "@tollgate/core";

/** Reads a request body into memory, refusing (413) once it passes `maxBytes`. */
export async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      req.resume();
      throw tooLarge(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): TollgateError {
  return new TollgateError("PAYLOAD_TOO_LARGE", `The upload is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`);
}
