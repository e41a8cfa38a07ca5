import type { IncomingMessage } from "node:http";

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when the browser says the request comes from this origin: `Sec-Fetch-Site: same-origin`, or an
 * `Origin` whose host is the request's `Host`. A missing or `null` Origin is not same-origin. Cookie-
 * authenticated mutations need this (SameSite=Strict alone does not cover every browser and sandbox).
 */
export function isSameOriginRequest(req: IncomingMessage): boolean {
  if (single(req.headers["sec-fetch-site"]) === "same-origin") return true;
  const origin = single(req.headers.origin);
  const host = single(req.headers.host);
  if (!origin || origin === "null" || !host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Methods that change nothing: a session cookie may ride along with them from anywhere. */
export function isSafeMethod(method: string | undefined): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}
