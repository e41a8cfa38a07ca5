import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

/** The key from `--api-key-file` (never from argv, where `ps` and shell history would show it). */
function readApiKeyFile(file: string): string {
  if (!existsSync(file)) throw new CliError(`--api-key-file: ${file} does not exist`, exitCodes.usage);
  const key = readFileSync(file, "utf8").trim();
  if (!key) throw new CliError(`--api-key-file: ${file} is empty`, exitCodes.usage);
  return key;
}

function parseMaxTokens(value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new CliError(`--max-tokens: must be a positive integer, not "${value}"`, exitCodes.usage);
  return Number(value);
}

/** `tollgate providers add|list|remove` (SPEC §14). */
export function registerProviders(program: Command, getContext: () => CliContext): void {
  const providers = program
    .command("providers")
    .description("OpenAI-compatible endpoints (Ollama, vLLM, a hosted API) that serve your models");
  providers
    .command("add <name>")
    .description("add a provider; its API key is stored encrypted and never shown again")
    .requiredOption("--base-url <url>", "OpenAI-compatible base URL, e.g. http://127.0.0.1:11434 or https://host/v1")
    .option("--api-key-file <file>", "file holding the provider's API key")
    .action(async (name: string, opts: { baseUrl: string; apiKeyFile?: string }) => {
      const ctx = getContext();
      const apiKey = opts.apiKeyFile ? readApiKeyFile(opts.apiKeyFile) : undefined;
      const added = await ctx
        .client()
        .providers.add.mutate({ name, baseUrl: opts.baseUrl, ...(apiKey ? { apiKey } : {}) });
      printResult(
        ctx.json,
        added,
        () =>
          `Added provider "${added.name}" at ${added.baseUrl}${added.hasApiKey ? " (API key stored encrypted)" : ""}.\n` +
          `Sell one of its models with: tollgate models add NAME --provider ${added.name}`,
      );
    });
  providers
    .command("list")
    .description("list providers (never their keys)")
    .action(async () => {
      const ctx = getContext();
      const list = await ctx.client().providers.list.query();
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No providers. Add one with: tollgate providers add NAME --base-url URL"
          : formatTable(
              ["NAME", "BASE URL", "API KEY", "MODELS"],
              list.map((p) => [p.name, p.baseUrl, p.hasApiKey ? "set" : "-", p.models.join(", ") || "-"]),
            ),
      );
    });
  providers
    .command("remove <name>")
    .description("remove a provider that no model uses, and its key")
    .action(async (name: string) => {
      const ctx = getContext();
      const removed = await ctx.client().providers.remove.mutate({ name });
      printResult(ctx.json, removed, () => `Removed provider "${removed.name}".`);
    });
}

/** `tollgate models add|list|remove` (SPEC §14). */
export function registerModels(program: Command, getContext: () => CliContext): void {
  const models = program.command("models").description("models you sell, each served by a provider");
  models
    .command("add <name>")
    .description("add a model; ModelReady says whether the provider lists it")
    .requiredOption("--provider <name>", "the provider that serves it")
    .option("--upstream-model <id>", "the provider's model id (default: NAME)")
    .option("--max-tokens <n>", "most tokens one request may use (caps the upto maximum)")
    .action(async (name: string, opts: { provider: string; upstreamModel?: string; maxTokens?: string }) => {
      const ctx = getContext();
      const added = await ctx.client().models.add.mutate({
        name,
        provider: opts.provider,
        ...(opts.upstreamModel ? { upstreamModel: opts.upstreamModel } : {}),
        ...(opts.maxTokens ? { maxTokens: parseMaxTokens(opts.maxTokens) } : {}),
      });
      printResult(
        ctx.json,
        added,
        () =>
          `Added model "${added.name}" (${added.upstreamModel} on ${added.provider}, up to ${added.maxTokens} tokens).\n` +
          `Sell it with: tollgate offers create NAME --type inference --model ${added.name} --price 0.50 --unit mtok`,
      );
    });
  models
    .command("list")
    .description("list models with ModelReady")
    .action(async () => {
      const ctx = getContext();
      const list = await ctx.client().models.list.query();
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No models. Add one with: tollgate models add NAME --provider P"
          : formatTable(
              ["NAME", "PROVIDER", "UPSTREAM MODEL", "MAX TOKENS", "READY", "OFFERS"],
              list.map((m) => {
                const ready = m.conditions[0];
                return [
                  m.name,
                  m.provider,
                  m.upstreamModel,
                  String(m.maxTokens),
                  ready ? `${ready.status}/${ready.reason}` : "-",
                  m.offers.join(", ") || "-",
                ];
              }),
            ),
      );
    });
  models
    .command("remove <name>")
    .description("remove a model no offer sells")
    .action(async (name: string) => {
      const ctx = getContext();
      const removed = await ctx.client().models.remove.mutate({ name });
      printResult(ctx.json, removed, () => `Removed model "${removed.name}".`);
    });
}
