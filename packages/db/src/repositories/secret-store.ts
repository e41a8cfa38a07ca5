import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretStore } from "@tollgate/core";
import type { Db } from "../prisma-client.ts";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM with the master key; output is base64(iv | tag | ciphertext). The name is bound as AAD. */
export function encryptSecret(masterKey: Buffer, name: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv);
  cipher.setAAD(Buffer.from(name, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

/** Reverses `encryptSecret`; throws when the key is wrong or the value was tampered with. */
export function decryptSecret(masterKey: Buffer, name: string, sealed: string): string {
  const raw = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", masterKey, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(name, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}

/** The ledger's secret store: values are encrypted before they reach Postgres. */
export function createSecretStore(options: { db: Db; masterKey: Buffer }): SecretStore {
  const { db, masterKey } = options;
  if (masterKey.length !== 32) throw new Error("the master key must be 32 bytes");
  return {
    async get(name) {
      const row = await db.secret.findUnique({ where: { name } });
      return row ? decryptSecret(masterKey, name, row.ciphertext) : null;
    },
    async set(name, value) {
      const ciphertext = encryptSecret(masterKey, name, value);
      await db.secret.upsert({ where: { name }, create: { name, ciphertext }, update: { ciphertext } });
    },
    async delete(name) {
      await db.secret.deleteMany({ where: { name } });
    },
  };
}
