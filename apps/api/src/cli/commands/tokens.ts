import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

const when = (d: Date | string | null) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 19) : "-");

/** `tollgate tokens create|list|revoke`. */
export function registerTokens(program: Command, getContext: () => CliContext): void {
  const tokens = program.command("tokens").description("API tokens for remote management (admin or read scope)");
  tokens
    .command("create <name>")
    .description("create a token; it is shown once")
    .option("--scope <scope>", "admin or read", "read")
    .action(async (name: string, opts: { scope: string }) => {
      if (opts.scope !== "admin" && opts.scope !== "read")
        throw new CliError(`--scope: must be admin or read, not "${opts.scope}"`, exitCodes.usage);
      const ctx = getContext();
      const created = await ctx.client().tokens.create.mutate({ name, scope: opts.scope });
      printResult(
        ctx.json,
        created,
        () => `Created ${created.summary.scope} token "${name}". It will not be shown again:\n  ${created.token}`,
      );
    });
  tokens
    .command("list")
    .description("list tokens (never their secrets)")
    .action(async () => {
      const ctx = getContext();
      const list = await ctx.client().tokens.list.query();
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No tokens."
          : formatTable(
              ["NAME", "SCOPE", "PREFIX", "CREATED", "LAST USED", "REVOKED"],
              list.map((t) => [
                t.name,
                t.scope,
                `${t.prefix}…`,
                when(t.createdAt),
                when(t.lastUsedAt),
                when(t.revokedAt),
              ]),
            ),
      );
    });
  tokens
    .command("revoke <name>")
    .description("revoke a token by name")
    .action(async (name: string) => {
      const ctx = getContext();
      const revoked = await ctx.client().tokens.revoke.mutate({ name });
      printResult(ctx.json, revoked, () => `Revoked token "${name}".`);
    });
}
