import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";
import type { Env } from "../env.ts";
import { CliError, exitCodes } from "./cli-error.ts";

/** Named remotes, like kubectl contexts: a server URL and its token, one of them current. */
const remotesSchema = z.object({
  current: z.string().nullable().default(null),
  remotes: z.record(z.string(), z.object({ url: z.string(), token: z.string() })).default({}),
});
export type Remotes = z.infer<typeof remotesSchema>;

export const remoteNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "a remote name is 1-63 letters, digits, '.', '_' or '-'");

const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Where the remotes live: `$XDG_CONFIG_HOME/tollgate/remotes.json` (0600), default `~/.config`. */
export function remotesFile(env: Env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "tollgate", "remotes.json");
}

/** The remotes file, or an empty set when it does not exist yet. */
export function readRemotes(file: string): Remotes {
  if (!existsSync(file)) return { current: null, remotes: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new CliError(`${file} is not valid JSON`, exitCodes.usage, { hint: "fix or remove the file" });
  }
  const parsed = remotesSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${file} is not a remotes file`, exitCodes.usage);
  return parsed.data;
}

/** Writes the remotes privately (directory 0700, file 0600), replacing the file in one step. */
export function writeRemotes(file: string, remotes: Remotes): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(remotes, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** A remote's URL: https, or plain http only to this machine (tokens must not cross a network in clear). */
export function parseRemoteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--url: "${value}" is not a URL`, exitCodes.usage, { field: "url" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new CliError(`--url: must be an http(s) URL, not ${url.protocol}`, exitCodes.usage, { field: "url" });
  if (url.protocol === "http:" && !loopback.has(url.hostname))
    throw new CliError(`--url: plain http would send the token in clear to ${url.hostname}`, exitCodes.usage, {
      field: "url",
      hint: "put a TLS reverse proxy or tunnel in front of the box and use its https:// URL",
    });
  return url.origin + url.pathname.replace(/\/$/, "");
}

/** The token in a token file: one line, no spaces. */
export function readTokenFile(file: string): string {
  if (!existsSync(file)) throw new CliError(`--token-file: ${file} does not exist`, exitCodes.usage);
  const token = readFileSync(file, "utf8").trim();
  if (!token || /\s/.test(token))
    throw new CliError(`--token-file: ${file} must hold one token on one line`, exitCodes.usage);
  return token;
}

export interface Target {
  url: string;
  token?: string | undefined;
  /** The remote's name when the target came from one. */
  remote?: string;
}

/**
 * The server a command talks to: `--remote NAME`; else `--url` or TOLLGATE_URL; else the current
 * remote (`tollgate remote use`); else the local server. `--token`/TOLLGATE_TOKEN win over a remote's token.
 */
export function resolveTarget(options: {
  env: Env;
  url?: string | undefined;
  token?: string | undefined;
  remote?: string | undefined;
}): Target {
  const token = options.token ?? options.env.TOLLGATE_TOKEN;
  if (options.remote !== undefined && options.url !== undefined)
    throw new CliError("use either --remote or --url, not both", exitCodes.usage);
  const explicitUrl = options.url ?? options.env.TOLLGATE_URL;
  if (options.remote === undefined && explicitUrl !== undefined) return { url: explicitUrl, token };
  const file = remotesFile(options.env);
  const name = options.remote ?? (existsSync(file) ? readRemotes(file).current : null);
  if (name === null) return { url: "http://127.0.0.1:8402", token };
  const remote = readRemotes(file).remotes[name];
  if (!remote)
    throw new CliError(`no remote named "${name}"`, exitCodes.usage, {
      field: "remote",
      hint: "`tollgate remote list` shows them; `tollgate remote add` adds one",
    });
  return { url: remote.url, token: token ?? remote.token, remote: name };
}
