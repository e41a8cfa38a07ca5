import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChainLogger } from "./chain-logger.ts";
import { resolveAnvilCommand } from "./resolve-anvil-binary.ts";

/** A running anvil we started. */
export interface AnvilProcess {
  pid: number;
  port: number;
  rpcUrl: string;
  /** Ends anvil with SIGTERM (it dumps its state on the way out), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** The command line of a live process, or null when it does not exist (Linux /proc). */
export function readProcessCommandLine(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (raw.length === 0) return null; // zombie: exited, not yet reaped
    return raw.split("\0").filter((part) => part.length > 0);
  } catch {
    return null;
  }
}

/** True while the process exists and has not exited (zombies count as exited). */
export function isProcessAlive(pid: number): boolean {
  return readProcessCommandLine(pid) !== null;
}

/** True when the pid runs anvil (binary or wrapper) on this state file: never kill a recycled pid. */
export function isOurAnvil(pid: number, stateFile: string): boolean {
  const args = readProcessCommandLine(pid);
  if (!args) return false;
  return args.some((arg) => arg.includes("anvil")) && args.includes(stateFile);
}

/** Sends a signal to the process group (anvil runs detached, as its own group), falling back to the pid. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/** SIGTERM, wait up to `graceMs` for the exit (anvil writes its state then), then SIGKILL. */
async function terminate(pid: number, graceMs: number): Promise<"terminated" | "killed"> {
  signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return "terminated";
    await sleep(50);
  }
  signal(pid, "SIGKILL");
  while (isProcessAlive(pid)) await sleep(20);
  return "killed";
}

/**
 * Ends an anvil left behind by a previous server that died without stopping it (kill -9): reads the pid file,
 * checks that pid really is anvil on our state file, and ends it so its state is flushed. Returns the pid ended.
 */
export async function endOrphanAnvil({
  pidFile,
  stateFile,
  logger,
  graceMs = 10_000,
}: {
  pidFile: string;
  stateFile: string;
  logger: ChainLogger;
  graceMs?: number;
}): Promise<number | null> {
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").trim(), 10);
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isOurAnvil(pid, stateFile)) return null;
  logger.warn({ pid }, "devnet: ending the anvil a previous server left running");
  const how = await terminate(pid, graceMs);
  logger.info({ pid, how }, "devnet: previous anvil ended");
  return pid;
}

/** Whether a JSON-RPC node answers at `rpcUrl` within a second. */
export async function isRpcReady(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function readLogTail(logFile: string): string {
  try {
    return readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n").trim();
  } catch {
    return "";
  }
}

/**
 * Spawns anvil on host:port with its state persisted to `stateFile` (loaded at start, dumped every
 * `stateIntervalSeconds` and on exit), records its pid in `pidFile`, and waits until it answers JSON-RPC.
 */
export async function startAnvil({
  stateFile,
  pidFile,
  logFile,
  port,
  host = "127.0.0.1",
  chainId = 31337,
  stateIntervalSeconds = 5,
  readyTimeoutMs = 30_000,
  stopGraceMs = 10_000,
  logger,
}: {
  stateFile: string;
  pidFile: string;
  logFile: string;
  port: number;
  host?: string;
  chainId?: number;
  stateIntervalSeconds?: number;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  logger: ChainLogger;
}): Promise<AnvilProcess> {
  const anvil = resolveAnvilCommand();
  const args = [
    ...anvil.args,
    "--host",
    host,
    "--port",
    String(port),
    "--chain-id",
    String(chainId),
    "--state",
    stateFile,
    "--state-interval",
    String(stateIntervalSeconds),
    "--quiet",
  ];
  // Output goes to a file, not a pipe: an orphaned anvil must not die writing to a closed pipe.
  const logFd = openSync(logFile, "w");
  // Detached: anvil gets its own process group, so a Ctrl-C aimed at the server does not kill the chain
  // before the server has finished with it, and a group signal also reaches the binary behind the wrapper.
  const child = spawn(anvil.command, args, { detached: true, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) {
    throw await new Promise<Error>((resolve) => child.once("error", (error) => resolve(error)));
  }
  writeFileSync(pidFile, `${pid}\n`, { mode: 0o600 });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, sig) => {
      exitCode = code ?? (sig ? -1 : null);
      resolve();
    });
  });
  logger.debug({ pid, port, binary: anvil.command, viaWrapper: anvil.viaWrapper }, "devnet: anvil spawned");

  const rpcUrl = `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode === undefined) {
        const how = await terminate(pid, stopGraceMs);
        await Promise.race([exited, sleep(1_000)]);
        if (how === "killed") logger.warn({ pid }, "devnet: anvil ignored SIGTERM and was killed; state may be stale");
      }
      const recorded = existsSync(pidFile) ? readFileSync(pidFile, "utf8").trim() : "";
      if (recorded === String(pid)) rmSync(pidFile, { force: true });
      logger.debug({ pid }, "devnet: anvil stopped");
    })();
    return stopping;
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (!(await isRpcReady(rpcUrl))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      await stop();
      const reason =
        exitCode !== undefined ? `exited with code ${exitCode}` : `did not answer within ${readyTimeoutMs} ms`;
      const tail = readLogTail(logFile);
      throw new Error(`anvil ${reason} on ${rpcUrl}${tail ? `:\n${tail}` : ""}`);
    }
    await sleep(100);
  }
  child.unref();
  return { pid, port, rpcUrl, stop };
}
