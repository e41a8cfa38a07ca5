import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";

/** scrypt cost: ~0.3 s and 128 MiB per attempt, so guessing a passphrase is slow. */
const KDF = { N: 2 ** 17, r: 8, p: 1 } as const;

export interface SealedBox {
  kdf: "scrypt";
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

function deriveKey(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, { ...params, maxmem: 256 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Encrypts with a key derived from the passphrase (scrypt) and AES-256-GCM. */
export async function sealWithPassphrase(plaintext: string, passphrase: string): Promise<SealedBox> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, KDF);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    kdf: "scrypt",
    ...KDF,
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
}

/** Thrown when the passphrase is wrong or the sealed data was altered. */
export class WrongPassphraseError extends Error {}

/** Reverses `sealWithPassphrase`. */
export async function openWithPassphrase(box: SealedBox, passphrase: string): Promise<string> {
  if (box.kdf !== "scrypt" || box.N > 2 ** 20 || box.r > 16 || box.p > 4)
    throw new WrongPassphraseError("unsupported key derivation parameters");
  const key = await deriveKey(passphrase, Buffer.from(box.salt, "base64"), box);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(box.iv, "base64"));
  decipher.setAuthTag(Buffer.from(box.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(box.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new WrongPassphraseError("the passphrase is wrong, or the secrets in the bundle were altered");
  }
}
