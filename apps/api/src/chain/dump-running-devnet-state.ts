import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { isOurAnvil, readProcessCommandLine } from "./anvil-process.ts";

/**
 * The chain state of this home's running anvil, as it is now (`anvil_dumpState`, un-gzipped: the same JSON
 * anvil writes to its state file), or null when no anvil of ours runs. The state file alone lags the chain
 * by up to its dump interval, so an export of a running box would lose the latest settlements and mints.
 */
export async function dumpRunningDevnetState({
  pidFile,
  stateFile,
  timeoutMs = 10_000,
}: {
  pidFile: string;
  stateFile: string;
  timeoutMs?: number;
}): Promise<Buffer | null> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isOurAnvil(pid, stateFile)) return null;
  const args = readProcessCommandLine(pid) ?? [];
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = arg("--port");
  if (!port) return null;
  const host = arg("--host") ?? "127.0.0.1";
  const res = await fetch(`http://${host.includes(":") ? `[${host}]` : host}:${port}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_dumpState", params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: string; error?: { message?: string } };
  if (typeof body.result !== "string" || !body.result.startsWith("0x"))
    throw new Error(`anvil_dumpState failed: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return gunzipSync(Buffer.from(body.result.slice(2), "hex"));
}
