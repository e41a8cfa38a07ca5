import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";
import { parseRemoteUrl, readRemotes, readTokenFile, remoteNameSchema, remotesFile, writeRemotes } from "../remotes.ts";

function parseName(value: string): string {
  const parsed = remoteNameSchema.safeParse(value);
  if (!parsed.success)
    throw new CliError(`NAME: ${parsed.error.issues[0]?.message ?? "invalid"}`, exitCodes.usage, { field: "name" });
  return parsed.data;
}

/** `tollgate remote add|use|list|remove`: named servers and their tokens, kept 0600 in the config dir. */
export function registerRemote(program: Command, getContext: () => CliContext): void {
  const remote = program
    .command("remote")
    .description("named remote servers, like kubectl contexts (tokens stay in a 0600 file, never printed)");
  remote
    .command("add <name>")
    .description("remember a server (--url: https, plain http only to this machine) and its token under a name")
    .requiredOption("--token-file <file>", "file holding the API token (read or admin scope)")
    .option("--use", "make it the current remote")
    .action((rawName: string, opts: { tokenFile: string; use?: boolean }) => {
      const ctx = getContext();
      const name = parseName(rawName);
      // --url is the global option (commander gives it to the program wherever it appears).
      const rawUrl = program.opts<{ url?: string }>().url;
      if (rawUrl === undefined)
        throw new CliError("--url: the remote's URL is required", exitCodes.usage, { field: "url" });
      const url = parseRemoteUrl(rawUrl);
      const token = readTokenFile(opts.tokenFile);
      const file = remotesFile(ctx.env);
      const remotes = readRemotes(file);
      if (remotes.remotes[name])
        throw new CliError(`a remote named "${name}" exists`, exitCodes.refused, {
          code: "CONFLICT",
          hint: `\`tollgate remote remove ${name}\` first`,
        });
      remotes.remotes[name] = { url, token };
      if (opts.use) remotes.current = name;
      writeRemotes(file, remotes);
      printResult(ctx.json, { name, url, current: remotes.current === name }, () =>
        opts.use ? `Added remote "${name}" (${url}) and made it current.` : `Added remote "${name}" (${url}).`,
      );
    });
  remote
    .command("use [name]")
    .description("make a remote current: later commands talk to it unless --remote or --url says otherwise")
    .option("--local", "talk to the local server again")
    .action((rawName: string | undefined, opts: { local?: boolean }) => {
      const ctx = getContext();
      if (Boolean(rawName) === Boolean(opts.local))
        throw new CliError("give a remote NAME or --local", exitCodes.usage, { field: "name" });
      const file = remotesFile(ctx.env);
      const remotes = readRemotes(file);
      const name = rawName === undefined ? null : parseName(rawName);
      if (name !== null && !remotes.remotes[name])
        throw new CliError(`no remote named "${name}"`, exitCodes.refused, {
          code: "NOT_FOUND",
          hint: "`tollgate remote list` shows them",
        });
      remotes.current = name;
      writeRemotes(file, remotes);
      printResult(ctx.json, { current: name }, () =>
        name === null ? "Commands talk to the local server." : `Commands talk to remote "${name}".`,
      );
    });
  remote
    .command("list")
    .description("the remotes (never their tokens)")
    .action(() => {
      const ctx = getContext();
      const { current, remotes } = readRemotes(remotesFile(ctx.env));
      const list = Object.entries(remotes).map(([name, r]) => ({ name, url: r.url, current: name === current }));
      printResult(ctx.json, { current, remotes: list }, () =>
        list.length === 0
          ? "No remotes. Add one: tollgate remote add NAME --url https://… --token-file FILE"
          : formatTable(
              ["CURRENT", "NAME", "URL"],
              list.map((r) => [r.current ? "*" : "", r.name, r.url]),
            ),
      );
    });
  remote
    .command("remove <name>")
    .description("forget a remote and its token")
    .action((rawName: string) => {
      const ctx = getContext();
      const name = parseName(rawName);
      const file = remotesFile(ctx.env);
      const remotes = readRemotes(file);
      if (!remotes.remotes[name])
        throw new CliError(`no remote named "${name}"`, exitCodes.refused, { code: "NOT_FOUND" });
      delete remotes.remotes[name];
      if (remotes.current === name) remotes.current = null;
      writeRemotes(file, remotes);
      printResult(ctx.json, { removed: name, current: remotes.current }, () => `Removed remote "${name}".`);
    });
}
