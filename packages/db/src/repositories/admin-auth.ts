import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { AdminAuthRepository } from "@tollgate/core";
import type { Db } from "../prisma-client.ts";

// scrypt parameters (N=2^15, r=8, p=1: ~32 MiB, tens of ms) stored with each hash so they can change later.
const SCRYPT = { N: 32_768, r: 8, p: 1, keyLength: 64, maxmem: 64 * 1024 * 1024 } as const;

function deriveKey(password: string, salt: Buffer, params: { N: number; r: number; p: number; keyLength: number }) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      params.keyLength,
      { N: params.N, r: params.r, p: params.p, maxmem: SCRYPT.maxmem },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** `scrypt$N$r$p$<salt b64>$<key b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Checks a password against a stored hash in constant time; false for a malformed hash. */
export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await deriveKey(password, Buffer.from(salt, "base64"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** sha256 hex of a session token: tokens are 256-bit random, so a fast hash suffices. */
function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

// A fixed hash to compare against when the user does not exist, so timing does not tell.
let dummyHash: Promise<string> | undefined;

/** Admin users (scrypt password hashes) and sessions (sha256 of the cookie token, with expiry). */
export function createAdminAuthRepository(options: { db: Db }): AdminAuthRepository {
  const { db } = options;
  return {
    async findUser(username) {
      const row = await db.adminUser.findUnique({ where: { username } });
      return row ? { id: row.id, username: row.username } : null;
    },
    async setPassword({ username, password }) {
      const passwordHash = await hashPassword(password);
      return db.$transaction(async (tx) => {
        const row = await tx.adminUser.upsert({
          where: { username },
          create: { username, passwordHash },
          update: { passwordHash },
        });
        // A new password ends every session made with the old one.
        await tx.adminSession.deleteMany({ where: { userId: row.id } });
        return { id: row.id, username: row.username };
      });
    },
    async verifyPassword({ username, password }) {
      const row = await db.adminUser.findUnique({ where: { username } });
      if (!row) {
        dummyHash ??= hashPassword("not-a-password");
        await verifyPasswordHash(password, await dummyHash);
        return null;
      }
      return (await verifyPasswordHash(password, row.passwordHash)) ? { id: row.id, username: row.username } : null;
    },
    async createSession({ userId, expiresAt }) {
      const token = randomBytes(32).toString("base64url");
      await db.adminSession.create({ data: { userId, expiresAt, tokenHash: hashSessionToken(token) } });
      return { token };
    },
    async findSession({ token, now }) {
      const row = await db.adminSession.findUnique({
        where: { tokenHash: hashSessionToken(token) },
        include: { user: { select: { username: true } } },
      });
      if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
      return { userId: row.userId, username: row.user.username, expiresAt: row.expiresAt };
    },
    async deleteSession(token) {
      await db.adminSession.deleteMany({ where: { tokenHash: hashSessionToken(token) } });
    },
    async deleteExpiredSessions(now) {
      const res = await db.adminSession.deleteMany({ where: { expiresAt: { lt: now } } });
      return res.count;
    },
  };
}
