import type { IncomingMessage } from "node:http";
import type { ApiTokenRepository } from "@tollgate/db";
import type { Caller } from "../../trpc/trpc.ts";

/** Resolves the caller from `Authorization: Bearer <token>`; anything else is anonymous. */
export async function resolveCaller(req: IncomingMessage, tokens: ApiTokenRepository): Promise<Caller> {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return { kind: "anonymous" };
  const token = await tokens.findActive(match[1]);
  if (!token) return { kind: "anonymous", rejectedToken: true };
  void tokens.touch(token.name).catch(() => {});
  return { kind: "token", scope: token.scope, actor: `token:${token.name}` };
}
