import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { testingEnv } from "./env.ts";

export const tollgateBin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "tollgate.mjs");

/** A loopback port the kernel chose as free at this moment. */
function kernelFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * Ports for the servers of one test worker: below the kernel's ephemeral range (32768 and up here),
 * where no connection, embedded PostgreSQL or port-0 listener lands, and split between the workers of
 * the two database passes that run at once, so that a port found free is not taken by another test's
 * server before this one binds it, nor one a test restarts its server on. Outside a test worker
 * (benchmarks), undefined: the kernel chooses.
 */
const slicePorts = 600;
function workerPortSlice(): { from: number } | undefined {
  const pool = Number(testingEnv.inheritedEnv.VITEST_POOL_ID);
  if (!Number.isInteger(pool) || pool < 1 || pool > 8) return undefined;
  const pass = testingEnv.inheritedEnv.DATABASE_URL ? 1 : 0;
  return { from: 20_000 + (pass * 8 + pool - 1) * slicePorts };
}
let nextInSlice = Math.floor(Math.random() * slicePorts);

/** A free loopback port (in a test worker, one from the worker's own slice; see workerPortSlice). */
export async function freePort(): Promise<number> {
  const slice = workerPortSlice();
  if (!slice) return kernelFreePort();
  for (let tries = 0; tries < slicePorts; tries += 1) {
    // In turn, not at random: a port is not handed out again until the slice has gone round.
    const port = slice.from + (nextInSlice % slicePorts);
    nextInSlice += 1;
    if (await canListen(port)) return port;
  }
  return kernelFreePort();
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** The environment a test server runs with: no inherited TOLLGATE_* settings, web app off unless asked. */
export function serveEnv(
  home: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(testingEnv.inheritedEnv))
    if (!k.startsWith("TOLLGATE_") && k !== "DATABASE_URL") env[k] = v;
  Object.assign(
    env,
    { TOLLGATE_HOME: home, TOLLGATE_WEB: "off", TOLLGATE_DEVNET: "off", TOLLGATE_LOG_FORMAT: "json" },
    extra,
  );
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Starts `tollgate serve` as a child process and waits until it is ready (unless `waitReady` is false). */
export async function startServeProcess(options: {
  home: string;
  env?: Record<string, string | undefined>;
  waitReady?: boolean;
  timeoutMs?: number;
  /** The port to listen on; a free one when absent. */
  port?: number;
}): Promise<ServeProcess> {
  // A port found free can be taken by another process before the server binds it (many test servers
  // start at once): the server then exits with EADDRINUSE, and it starts again on another free port.
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    const proc = spawnServe(options, port);
    if (options.waitReady === false) return proc;
    try {
      return await waitUntilReady(proc, options.timeoutMs ?? 60_000);
    } catch (error) {
      const portTaken = proc.child.exitCode !== null && proc.output().includes("EADDRINUSE");
      if (!portTaken || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

function spawnServe(options: { home: string; env?: Record<string, string | undefined> }, port: number): ServeProcess {
  let out = "";
  const child = spawn(process.execPath, [tollgateBin, "serve", "--port", String(port)], {
    env: serveEnv(options.home, options.env) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  // A failed run keeps every server's log to read afterwards (the test's own message has only a line).
  if (testingEnv.serverLogDir) {
    mkdirSync(testingEnv.serverLogDir, { recursive: true });
    const file = createWriteStream(
      join(testingEnv.serverLogDir, `${basename(options.home)}-${port}-${Date.now()}.log`),
    );
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once("exit", () => file.end());
  }
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Waits until the server's port answers /readyz with 200 (test servers' ports are their worker's own; see freePort). */
async function waitUntilReady(proc: ServeProcess, timeoutMs: number): Promise<ServeProcess> {
  const { child } = proc;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tollgate serve exited with ${child.exitCode}:\n${proc.output()}`);
    const res = await fetch(`${proc.url}/readyz`).catch(() => null);
    if (res?.status === 200) return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
  // SIGTERM first, so the server takes its PostgreSQL and anvil down; SIGKILL alone would orphan them.
  await stopServeProcesses([proc]);
  throw new Error(`tollgate serve was not ready within the timeout:\n${proc.output()}`);
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tollgateBin, ...args], {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Stops test servers the way an operator would (SIGTERM, so each takes its PostgreSQL and anvil down),
 * falling back to SIGKILL after `graceMs`. A SIGKILL alone would orphan the devnet's anvil.
 */
export async function stopServeProcesses(processes: ServeProcess[], graceMs = 25_000): Promise<void> {
  await Promise.all(
    processes
      .filter((p) => p.child.exitCode === null && p.child.signalCode === null)
      .map(async (p) => {
        p.child.kill("SIGTERM");
        const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
        await p.exited;
        clearTimeout(timer);
      }),
  );
}
