import type { IncomingMessage } from "node:http";
import type { ApiTokenRepository } from "@tollgate/db";
import type { Caller } from "../../trpc/trpc.ts";
import { readSessionCookie } from "./session-cookie.ts";

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
  tokens: ApiTokenRepository,
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
