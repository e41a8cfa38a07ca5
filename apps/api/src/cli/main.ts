import { Command, CommanderError } from "commander";
import { type Env, EnvError, loadEnv } from "../env.ts";
import { homePaths } from "../home/data-home.ts";
import { type ApiClient, createApiClient, toCliError } from "./api-client.ts";
import type { CliContext } from "./cli-context.ts";
import { CliError, exitCodes } from "./cli-error.ts";
import { resolveTarget, type Target } from "./remotes.ts";
import { registerAdmin } from "./commands/admin.ts";
import { registerAgents } from "./commands/agents.ts";
import { registerBundle } from "./commands/bundle.ts";
import { registerChains } from "./commands/chains.ts";
import { registerCluster } from "./commands/cluster.ts";
import { registerModels, registerProviders } from "./commands/models.ts";
import { registerOffers } from "./commands/offers.ts";
import { registerPayments } from "./commands/payments.ts";
import { registerRegister } from "./commands/register.ts";
import { registerRemote } from "./commands/remote.ts";
import { registerServe } from "./commands/serve.ts";
import { registerService } from "./commands/service.ts";
import { registerSettings } from "./commands/settings.ts";
import { registerStats } from "./commands/stats.ts";
import { registerTokens } from "./commands/tokens.ts";

function fail(error: CliError, json: boolean): never {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ error: { code: error.details.code ?? "ERROR", message: error.message, ...error.details } }, null, 2)}\n`,
    );
  } else {
    process.stderr.write(`error: ${error.message}${error.details.hint ? `\nhint: ${error.details.hint}` : ""}\n`);
  }
  process.exit(error.exitCode);
}

async function main(argv: string[]): Promise<void> {
  const wantsJson = argv.includes("--json");
  let env: Env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) fail(new CliError(error.message, exitCodes.usage), wantsJson);
    throw error;
  }

  const program = new Command("tollgate")
    .description("Tollgate: sell APIs, inference and agents behind x402 micropayments")
    .option("--url <url>", "server URL (TOLLGATE_URL, else the current remote, else http://127.0.0.1:8402)")
    .option("--remote <name>", "talk to this named remote (see `tollgate remote`)")
    .option("--token <token>", "API token (TOLLGATE_TOKEN, else the remote's, else the local admin-token file)")
    .option("--json", "print one JSON document on stdout")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  let client: ApiClient | undefined;
  let target: Target | undefined;
  const getContext = (): CliContext => {
    const opts = program.opts<{ url?: string; remote?: string; token?: string; json?: boolean }>();
    const resolved = () => {
      target ??= resolveTarget({ env, url: opts.url, token: opts.token, remote: opts.remote });
      return target;
    };
    return {
      env,
      json: Boolean(opts.json),
      get url() {
        return resolved().url;
      },
      client: () => {
        client ??= createApiClient({
          url: resolved().url,
          token: resolved().token,
          tokenFile: homePaths(env.home).adminToken,
        });
        return client;
      },
    };
  };
  registerServe(program, getContext);
  registerTokens(program, getContext);
  registerAdmin(program, getContext);
  registerOffers(program, getContext);
  registerProviders(program, getContext);
  registerModels(program, getContext);
  registerAgents(program, getContext);
  registerRegister(program, getContext);
  registerSettings(program, getContext);
  registerChains(program, getContext);
  registerCluster(program, getContext);
  registerService(program, getContext);
  registerBundle(program, getContext);
  registerPayments(program, getContext);
  registerStats(program, getContext);
  registerRemote(program, getContext);

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0)
        process.exit(0);
      process.exit(exitCodes.usage);
    }
    if (error instanceof CliError) fail(error, wantsJson);
    fail(toCliError(error, target?.url ?? "the server"), wantsJson);
  }
}

await main(process.argv.slice(2));
