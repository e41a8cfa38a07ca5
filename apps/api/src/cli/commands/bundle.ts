import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

function readPassphrase(file: string | undefined): string | null {
  if (!file) return null;
  if (!existsSync(file)) throw new CliError(`--passphrase-file: ${file} does not exist`, exitCodes.usage);
  const passphrase = readFileSync(file, "utf8").replace(/\r?\n$/, "");
  if (passphrase.length < 8)
    throw new CliError("--passphrase-file: the passphrase must be at least 8 characters", exitCodes.refused);
  return passphrase;
}

const progressTo = (json: boolean) => (message: string) => {
  if (!json || process.stderr.isTTY) process.stderr.write(`… ${message}\n`);
};

/** `tollgate export` and `tollgate import`: move a box's ledger (and, sealed, its secrets). */
export function registerBundle(program: Command, getContext: () => CliContext): void {
  program
    .command("export")
    .description("write a .tar.gz bundle of the ledger (secrets only sealed with a passphrase)")
    .requiredOption("--out <file>", "bundle file to write (mode 0600)")
    .option("--passphrase-file <file>", "seal the secrets with the passphrase in this file")
    .option("--include-payments", "include every payment row")
    .option("--include-credentials", "include the admin password and API token hashes (needs --passphrase-file)")
    .action(
      async (opts: {
        out: string;
        passphraseFile?: string;
        includePayments?: boolean;
        includeCredentials?: boolean;
      }) => {
        const ctx = getContext();
        const passphrase = readPassphrase(opts.passphraseFile);
        const [{ openHomeLedger }, { buildExportBundle }] = await Promise.all([
          import("../../bundle/open-home-ledger.ts"),
          import("../../bundle/export-bundle.ts"),
        ]);
        const ledger = await openHomeLedger(ctx.env);
        try {
          const { archive, summary } = await buildExportBundle({
            ledger,
            home: ctx.env.home,
            includePayments: Boolean(opts.includePayments),
            includeCredentials: Boolean(opts.includeCredentials),
            passphrase,
            progress: progressTo(ctx.json),
          });
          writeFileSync(opts.out, archive, { mode: 0o600 });
          chmodSync(opts.out, 0o600);
          printResult(ctx.json, { file: opts.out, ...summary }, () =>
            [
              `Wrote ${opts.out} (${summary.bytes} bytes, mode 0600).`,
              ...summary.manifest.components.map((c) => `  ${c.included ? "✓" : "-"} ${c.name}: ${c.notes.join("; ")}`),
            ].join("\n"),
          );
        } finally {
          await ledger.close();
        }
      },
    );

  program
    .command("import <file>")
    .description("restore a bundle into this home's ledger (everything or nothing)")
    .option("--passphrase-file <file>", "open the bundle's sealed secrets with this passphrase")
    .option("--dry-run", "show what would change, change nothing")
    .option("--force", "replace a ledger that already has offers, payments or identities")
    .option(
      "--keep-local-devnet",
      "keep this box's devnet and re-point the bundle's local offers at it (for a bundle exported without secrets)",
    )
    .action(
      async (
        file: string,
        opts: { passphraseFile?: string; dryRun?: boolean; force?: boolean; keepLocalDevnet?: boolean },
      ) => {
        const ctx = getContext();
        if (!existsSync(file)) throw new CliError(`${file} does not exist`, exitCodes.usage);
        const passphrase = readPassphrase(opts.passphraseFile);
        const [{ openHomeLedger }, bundleModule, tar, seal] = await Promise.all([
          import("../../bundle/open-home-ledger.ts"),
          import("../../bundle/import-bundle.ts"),
          import("../../bundle/tar-archive.ts"),
          import("../../bundle/seal-with-passphrase.ts"),
        ]);
        let bundle: Awaited<ReturnType<typeof bundleModule.parseBundle>>;
        try {
          bundle = await bundleModule.parseBundle(readFileSync(file), passphrase);
        } catch (error) {
          if (error instanceof tar.UnsafeArchiveError || error instanceof seal.WrongPassphraseError) {
            throw new CliError(error.message, exitCodes.refused, { code: "IMPORT_REFUSED" });
          }
          throw error;
        }
        const ledger = await openHomeLedger(ctx.env);
        try {
          const plan = await bundleModule.planImport(ledger, bundle, {
            keepLocalDevnet: Boolean(opts.keepLocalDevnet),
          });
          const human = () =>
            [
              formatTable(
                ["TABLE", "NOW", "FROM BUNDLE"],
                plan.tables.map((t) => [t.table, String(t.current), String(t.incoming)]),
              ),
              `offers in the bundle: ${plan.offers.map((o) => `${o.name} (${o.state})`).join(", ") || "none"}`,
              `secrets: ${plan.secrets}; devnet state: ${plan.devnetState ? "in bundle" : "not in bundle"}`,
              plan.devnet.outcome === "refused"
                ? `devnet: the import will be REFUSED: ${plan.devnet.message}\nfix: ${plan.devnet.hint}`
                : `devnet: ${plan.devnet.outcome}: ${plan.devnet.message}`,
              plan.agents.outcome === "refused"
                ? `agents: the import will be REFUSED: ${plan.agents.message}\nfix: ${plan.agents.hint}`
                : `agents: ${plan.agents.message}`,
            ].join("\n");
          if (opts.dryRun) {
            printResult(
              ctx.json,
              { dryRun: true, applied: false, plan },
              () => `Dry run: nothing changed.\n${human()}`,
            );
            return;
          }
          if (plan.devnet.outcome === "refused") {
            throw new CliError(plan.devnet.message, exitCodes.refused, {
              code: "IMPORT_REFUSED",
              hint: plan.devnet.hint,
            });
          }
          if (plan.agents.outcome === "refused") {
            throw new CliError(plan.agents.message, exitCodes.refused, {
              code: "IMPORT_REFUSED",
              hint: plan.agents.hint,
            });
          }
          if (ledger.serverRunning) {
            throw new CliError(
              "a Tollgate server is running on this home: stop it, import, then start it again",
              exitCodes.refused,
              {
                code: "CONFLICT",
              },
            );
          }
          if (plan.ledgerHasContent && !opts.force) {
            throw new CliError(
              "this ledger already has offers, payments or identities: pass --force to replace them",
              exitCodes.refused,
              {
                code: "CONFLICT",
                hint: "run with --dry-run to see what would change",
              },
            );
          }
          await bundleModule.applyImport({ ledger, bundle, plan, home: ctx.env.home });
          printResult(
            ctx.json,
            { dryRun: false, applied: true, plan },
            () => `Imported ${file}.\n${human()}\nStart the server: the reconciler brings the offers up.`,
          );
        } finally {
          await ledger.close();
        }
      },
    );
}
