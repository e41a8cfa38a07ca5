import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive, readCommandLine } from "@tollgate/db/process-info";

/** The layout of TOLLGATE_HOME (SPEC §2). */
export function homePaths(home: string) {
  return {
    home,
    secretsDir: join(home, "secrets"),
    masterKey: join(home, "secrets", "master.key"),
    adminToken: join(home, "admin-token"),
    serverLock: join(home, "server.pid"),
    devnetDir: join(home, "devnet"),
  };
}

export type HomePaths = ReturnType<typeof homePaths>;

/** Creates the data directory with private permissions. */
export function ensureHome(home: string): HomePaths {
  const paths = homePaths(home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  mkdirSync(paths.secretsDir, { recursive: true, mode: 0o700 });
  chmodSync(paths.secretsDir, 0o700);
  return paths;
}

/** The 32-byte master key that seals ledger secrets; created on first use (0600). */
export function loadOrCreateMasterKey(paths: HomePaths, sharedKeyFile?: string): Buffer {
  // Replicas on one ledger must decrypt each other's secrets: they read one key file and never make one.
  if (sharedKeyFile) return readMasterKeyFile(sharedKeyFile);
  if (existsSync(paths.masterKey)) return readMasterKeyFile(paths.masterKey);
  const key = randomBytes(32);
  writeFileSync(paths.masterKey, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  return key;
}

function readMasterKeyFile(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} is not a valid master key (expected 32 bytes, base64)`);
  return key;
}

/** The pid of a live Tollgate server using this home, or null. */
export function findRunningServer(paths: HomePaths): number | null {
  if (!existsSync(paths.serverLock)) return null;
  const pid = Number(readFileSync(paths.serverLock, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isProcessAlive(pid)) return null;
  return readCommandLine(pid).includes("tollgate") ? pid : null;
}

/**
 * One server per data home. A lock left by a killed server (dead pid, or a pid now used by another
 * program) is taken over; a live server is refused with its pid.
 */
export function acquireServerLock(paths: HomePaths): () => void {
  const pid = findRunningServer(paths);
  if (pid !== null) throw new Error(`another Tollgate server (pid ${pid}) is using ${paths.home}; stop it first`);
  writeFileSync(paths.serverLock, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    try {
      if (readFileSync(paths.serverLock, "utf8").trim() === String(process.pid)) rmSync(paths.serverLock);
    } catch {
      // already gone
    }
  };
}
