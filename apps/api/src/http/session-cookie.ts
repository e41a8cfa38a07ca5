import type { IncomingMessage, ServerResponse } from "node:http";
import { TollgateError } from "@tollgate/core";

/** The admin session cookie (SPEC §11). */
export const sessionCookieName = "tollgate_session";

/** True when the browser reached us over TLS, directly or through a proxy that says so. */
function isSecureRequest(req: IncomingMessage): boolean {
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  if (proto === "https") return true;
  return Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

/** The session token from the request's cookies, or null; a malformed encoding is a 400 (TollgateError). */
export function readSessionCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === sessionCookieName) {
      const value = part.slice(eq + 1).trim();
      if (!value) return null;
      try {
        return decodeURIComponent(value);
      } catch {
        throw new TollgateError("VALIDATION_FAILED", `The ${sessionCookieName} cookie is not valid percent-encoding`, {
          field: sessionCookieName,
          hint: "Sign in again to get a fresh session cookie",
        });
      }
    }
  }
  return null;
}

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader("set-cookie");
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  res.setHeader("set-cookie", [...list, cookie]);
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure behind TLS. */
export function setSessionCookie(http: { req: IncomingMessage; res: ServerResponse }, token: string, expiresAt: Date) {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  const parts = [
    `${sessionCookieName}=${encodeURIComponent(token)}`,
    "HttpOnly",
    "SameSite=Strict",
    "Path=/",
    `Max-Age=${maxAge}`,
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (isSecureRequest(http.req)) parts.push("Secure");
  appendSetCookie(http.res, parts.join("; "));
}

/** Clears the session cookie. */
export function clearSessionCookie(http: { req: IncomingMessage; res: ServerResponse }) {
  const parts = [`${sessionCookieName}=`, "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=0"];
  if (isSecureRequest(http.req)) parts.push("Secure");
  appendSetCookie(http.res, parts.join("; "));
}
