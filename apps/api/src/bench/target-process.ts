import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { bundleScript } from "../../../../scripts/node-bundle.mjs";

/** A benchmark target running in its own process (it prints `READY <json>` once it listens). */
export interface TargetProcess {
  child: ChildProcess;
  info: Record<string, unknown> & { url: string };
}

/**
 * Starts `<script> ...args` with node and waits for its READY line (90 s at most). The script and the
 * sources it imports are compiled into one module first (as the box CLI is), so the process starts in
 * about a second instead of loading every source and dependency file through tsx.
 */
export async function startTargetProcess(
  script: string,
  args: string[],
  /** The target writes a V8 CPU profile into this folder when it exits (where does the time go). */
  cpuProfileDir?: string,
): Promise<TargetProcess> {
  const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const entry = script.endsWith(".ts") ? await bundleScript(script) : script;
  const child = spawn(process.execPath, [...profile, entry, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const info = await new Promise<TargetProcess["info"]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within 90 s`)), 90_000);
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)));
      }
    });
  });
  return { child, info };
}

/** SIGTERM, then SIGKILL after 15 s. */
export async function stopTargetProcess(child: ChildProcess | undefined): Promise<void> {
  // A child that ended by a signal (the kill -9 tests) has no exit code but a signal code: without
  // that check this waited 15 s for an "exit" event that had already fired.
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      resolve();
    }, 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      if (child.pid) process.kill(child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  });
}
