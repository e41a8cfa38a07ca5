import type { ServerResponse } from "node:http";
import { httpStatusOf, toErrorBody } from "@tollgate/core";

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    // A 429 always says when to try again; callers with a better figure pass their own.
    ...(status === 429 ? { "retry-after": "1" } : {}),
    ...headers,
  });
  res.end(text);
}

/**
 * Writes an error as SPEC §11's body `{code, message, hint?, field?}` with the status from the one error
 * table; anything that is not a TollgateError is INTERNAL with no details.
 */
export function sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
  const body = toErrorBody(error);
  sendJson(res, httpStatusOf(body.code), body, headers);
}
