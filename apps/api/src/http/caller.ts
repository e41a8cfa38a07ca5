import type { IncomingMessage } from "node:http";
import { TollgateError } from "@tollgate/core";
import type { ApiTokenRepository } from "@tollgate/db";
import { readSessionCookie } from "./session-cookie.ts";

/** Who is calling: resolved once per request from the Bearer token or the session cookie. */
export type Caller =
  | { kind: "anonymous"; rejectedToken?: boolean }
  | { kind: "token"; scope: "admin" | "read"; actor: string }
  | { kind: "session"; scope: "admin"; actor: string };

/** A caller that passed `requireCaller`. */
export type KnownCaller = Exclude<Caller, { kind: "anonymous" }>;

/** Resolves a session cookie's token to its user, or null (the admin auth service). */
export interface SessionResolver {
  resolveSession(token: string): Promise<{ username: string } | null>;
}

/**
 * Resolves the caller from `Authorization: Bearer <token>`, else from the admin session cookie (which
 * is how SSE subscriptions authenticate: EventSource cannot send headers); anything else is anonymous.
 */
export async function resolveCaller(
  req: IncomingMessage,
  tokens: Pick<ApiTokenRepository, "findActive" | "touch">,
  sessions?: SessionResolver,
): Promise<Caller> {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    const sessionToken = sessions ? readSessionCookie(req) : null;
    if (!sessions || !sessionToken) return { kind: "anonymous" };
    const session = await sessions.resolveSession(sessionToken);
    return session ? { kind: "session", scope: "admin", actor: `user:${session.username}` } : { kind: "anonymous" };
  }
  const token = await tokens.findActive(match[1]);
  if (!token) return { kind: "anonymous", rejectedToken: true };
  void tokens.touch(token.name).catch(() => {});
  return { kind: "token", scope: token.scope, actor: `token:${token.name}` };
}

/**
 * The one authorization check every transport uses (SPEC §11): `read` admits read and admin tokens and
 * admin sessions, `admin` admits only admin ones. Throws UNAUTHENTICATED or FORBIDDEN.
 */
export function requireCaller(caller: Caller, scope: "read" | "admin"): KnownCaller {
  if (caller.kind === "anonymous") {
    throw new TollgateError(
      "UNAUTHENTICATED",
      caller.rejectedToken
        ? "That API token is not valid or was revoked"
        : "Sign in or pass an API token (Authorization: Bearer …)",
    );
  }
  if (scope === "admin" && caller.scope !== "admin") {
    throw new TollgateError("FORBIDDEN", "This needs an admin token; the token used has read scope");
  }
  return caller;
}
