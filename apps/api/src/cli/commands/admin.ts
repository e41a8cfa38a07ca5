import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { printResult } from "../output.ts";
import { readNewPassword } from "../read-password.ts";

/** `tollgate admin password`: sets the owner's password for the admin UI login. */
export function registerAdmin(program: Command, getContext: () => CliContext): void {
  const admin = program.command("admin").description("the admin UI's owner login");
  admin
    .command("password")
    .description("set or change the admin UI password (read from stdin, or asked on the terminal); ends other sessions")
    .action(async () => {
      const ctx = getContext();
      const password = await readNewPassword();
      if (password === null) throw new CliError("the two passwords differ; nothing changed", exitCodes.usage);
      const result = await ctx.client().auth.setPassword.mutate({ password });
      printResult(
        ctx.json,
        { ok: true, username: result.username },
        () => `Admin password set for "${result.username}". Sign in at /admin/login.`,
      );
    });
}
