import { createHash, randomBytes } from "node:crypto";
import { TollgateError } from "@tollgate/core";
import type { Db } from "../prisma-client.ts";

export type TokenScope = "admin" | "read";

export interface ApiTokenSummary {
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** sha256 hex of a token: tokens are 256-bit random, so a fast hash is enough and lookups stay O(1). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function summarise(row: ApiTokenSummary): ApiTokenSummary {
  const { name, prefix, scope, createdAt, lastUsedAt, revokedAt } = row;
  return { name, prefix, scope, createdAt, lastUsedAt, revokedAt };
}

/** API tokens, stored as hashes only. */
export function createApiTokenRepository(options: { db: Db }) {
  const { db } = options;
  return {
    /** Creates a token and returns its plaintext, which is never stored and cannot be shown again. */
    async create(input: { name: string; scope: TokenScope }): Promise<{ token: string; summary: ApiTokenSummary }> {
      const token = `tg_${randomBytes(32).toString("base64url")}`;
      const existing = await db.apiToken.findUnique({ where: { name: input.name } });
      if (existing)
        throw new TollgateError("CONFLICT", `a token named "${input.name}" already exists`, { field: "name" });
      const row = await db.apiToken.create({
        data: { name: input.name, scope: input.scope, hash: hashToken(token), prefix: token.slice(0, 10) },
      });
      return { token, summary: summarise(row) };
    },
    /** The live token matching a presented secret, or null. */
    async findActive(token: string): Promise<ApiTokenSummary | null> {
      const row = await db.apiToken.findUnique({ where: { hash: hashToken(token) } });
      if (!row || row.revokedAt) return null;
      return summarise(row);
    },
    /** Marks a token as used now (best effort, for the token list). */
    async touch(name: string): Promise<void> {
      await db.apiToken.updateMany({ where: { name }, data: { lastUsedAt: new Date() } });
    },
    async list(): Promise<ApiTokenSummary[]> {
      const rows = await db.apiToken.findMany({ orderBy: { createdAt: "asc" } });
      return rows.map(summarise);
    },
    /** Revokes a token by name; true when a live token was revoked. */
    async revoke(name: string): Promise<boolean> {
      const res = await db.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
      return res.count > 0;
    },
    async count(): Promise<number> {
      return db.apiToken.count();
    },
  };
}

export type ApiTokenRepository = ReturnType<typeof createApiTokenRepository>;
