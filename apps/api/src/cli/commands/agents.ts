import type { AgentView } from "@tollgate/core";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

function renderAgent(agent: AgentView): string {
  const policy = agent.policy;
  const rows: [string, string][] = [
    ["Name", agent.name],
    ["Wallet", agent.walletAddress],
    ["Model", agent.model],
    ["Runtime", agent.runtimeUrl ? `external: ${agent.runtimeUrl}` : "built-in"],
    ["Skills", agent.skills.join(", ") || "-"],
    ["Objective", agent.objective || "-"],
    ["Offers", agent.offers.join(", ") || "-"],
    ["Fund on", agent.fundingChains.map((f) => `${f.chain} (${f.uri})`).join(", ") || "-"],
    [
      "Spend policy",
      `max ${policy.maxPerPayment ?? "-"} USDC/payment, ${policy.dailyBudget ?? "-"} USDC/day` +
        (policy.allowPayees.length ? `, payees ${policy.allowPayees.join(", ")}` : ""),
    ],
    ["Spent (24 h)", `${agent.spentLast24h} USDC${policy.dailyBudget ? ` of ${policy.dailyBudget}` : ""}`],
    ["Created", agent.createdAt],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(14)}${v}`).join("\n");
}

/** `tollgate agents create|list|show|delete` (SPEC §14). */
export function registerAgents(program: Command, getContext: () => CliContext): void {
  const agents = program
    .command("agents")
    .description("agents: each has its own wallet (minted once), runs over a model, sells and buys");
  agents
    .command("create <name>")
    .description("create an agent and mint its wallet (the key is stored encrypted; the address is public)")
    .requiredOption("--model <model>", "a ledger model, or demo (the built-in demo model)")
    .option("--skill <skill>", "a skill (repeatable)", collect, [] as string[])
    .option("--objective <text>", "what the agent is for (its system prompt)")
    .option("--runtime-url <url>", "an external OpenAI-compatible runtime that answers instead of the built-in one")
    .action(async (name: string, opts: { model: string; skill: string[]; objective?: string; runtimeUrl?: string }) => {
      const ctx = getContext();
      const created = await ctx.client().agents.create.mutate({
        name,
        model: opts.model,
        skills: opts.skill,
        ...(opts.objective === undefined ? {} : { objective: opts.objective }),
        ...(opts.runtimeUrl === undefined ? {} : { runtimeUrl: opts.runtimeUrl }),
      });
      printResult(
        ctx.json,
        created,
        () =>
          `Created agent "${created.name}" with wallet ${created.walletAddress}.\n` +
          `Sell it with: tollgate offers create NAME --type agent --agent ${created.name} --price 0.01`,
      );
    });
  agents
    .command("list")
    .description("list agents with their wallet addresses")
    .action(async () => {
      const ctx = getContext();
      const list = await ctx.client().agents.list.query();
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No agents. Create one with: tollgate agents create NAME --model demo"
          : formatTable(
              ["NAME", "WALLET", "MODEL", "OFFERS", "DAILY BUDGET"],
              list.map((a) => [
                a.name,
                a.walletAddress,
                a.model,
                a.offers.join(", ") || "-",
                a.policy.dailyBudget ? `${a.policy.dailyBudget} USDC` : "-",
              ]),
            ),
      );
    });
  agents
    .command("show <name>")
    .description("an agent's wallet, model, skills, offers and spend policy")
    .action(async (name: string) => {
      const ctx = getContext();
      const agent = await ctx.client().agents.show.query({ name });
      printResult(ctx.json, agent, () => renderAgent(agent));
    });
  agents
    .command("update <name>")
    .description("change what answers for the agent: an external runtime by URL, or the built-in one")
    .option("--runtime-url <url>", "an external OpenAI-compatible runtime (its POST /v1/chat/completions)")
    .option("--built-in-runtime", "go back to the built-in runtime")
    .action(async (name: string, opts: { runtimeUrl?: string; builtInRuntime?: boolean }) => {
      if ((opts.runtimeUrl === undefined) === !opts.builtInRuntime) {
        throw new CliError("pass exactly one of --runtime-url URL and --built-in-runtime", exitCodes.usage);
      }
      const ctx = getContext();
      const agent = await ctx.client().agents.update.mutate({ name, runtimeUrl: opts.runtimeUrl ?? null });
      printResult(ctx.json, agent, () => renderAgent(agent));
    });
  agents
    .command("policy <name>")
    .description("set the agent's spend policy (only the named parts change); amounts in USDC")
    .option("--max-per-payment <decimal>", "largest single payment, e.g. 0.01")
    .option("--daily-budget <decimal>", "most the agent may spend in any 24 hours, e.g. 0.05")
    .option(
      "--allow-network <caip2>",
      "a network it may pay on, e.g. eip155:8453 (repeatable; none = any)",
      collect,
      [],
    )
    .option("--allow-asset <address>", "an asset it may pay with (repeatable; none = any)", collect, [])
    .option("--allow-payee <address>", "a payee it may pay (repeatable; none = any)", collect, [])
    .action(
      async (
        name: string,
        opts: {
          maxPerPayment?: string;
          dailyBudget?: string;
          allowNetwork: string[];
          allowAsset: string[];
          allowPayee: string[];
        },
      ) => {
        const ctx = getContext();
        const agent = await ctx.client().agents.policy.mutate({
          name,
          ...(opts.maxPerPayment === undefined ? {} : { maxPerPayment: opts.maxPerPayment }),
          ...(opts.dailyBudget === undefined ? {} : { dailyBudget: opts.dailyBudget }),
          ...(opts.allowNetwork.length ? { allowNetworks: opts.allowNetwork } : {}),
          ...(opts.allowAsset.length ? { allowAssets: opts.allowAsset } : {}),
          ...(opts.allowPayee.length ? { allowPayees: opts.allowPayee } : {}),
        });
        printResult(ctx.json, agent, () => renderAgent(agent));
      },
    );
  agents
    .command("pay <name> <url>")
    .description("an outbound x402 call from the agent's wallet, within its spend policy")
    .option("--method <method>", "GET, POST, PUT or DELETE", "GET")
    .option("--data <body>", "JSON request body")
    .action(async (name: string, url: string, opts: { method: string; data?: string }) => {
      const ctx = getContext();
      const result = await ctx.client().agents.pay.mutate({
        name,
        url,
        method: opts.method.toUpperCase() as "GET",
        ...(opts.data === undefined ? {} : { data: opts.data }),
      });
      if (result.state === "refused" || result.state === "failed" || result.state === "signed") {
        // Refused before signing (the policy), failed after, or signed with no answer (still reserved against
        // the budget): exit 1 with the reason as the error code.
        throw new CliError(
          `payment ${result.state}: ${result.reason}${result.message ? ` (${result.message})` : ""}`,
          exitCodes.refused,
          { code: result.reason ?? "REFUSED" },
        );
      }
      printResult(
        ctx.json,
        result,
        () =>
          `${result.status}${result.paid ? ` · paid ${result.amount} (atomic) to ${result.payTo} · tx ${result.txHash}` : ""}\n${result.body}`,
      );
    });
  agents
    .command("fund <name>")
    .description("move test USDC (and gas) from the devnet's buyer account to the agent")
    .requiredOption("--amount <decimal>", "USDC, e.g. 1")
    .action(async (name: string, opts: { amount: string }) => {
      const ctx = getContext();
      const funded = await ctx.client().agents.fund.mutate({ name, amount: opts.amount });
      printResult(
        ctx.json,
        funded,
        () =>
          `Funded ${funded.agent} (${funded.address}): USDC balance ${funded.usdcBalance} (atomic), tx ${funded.usdcTxHash}`,
      );
    });
  agents
    .command("payments [name]")
    .description("outbound payments (direction outbound), newest first")
    .option("--limit <n>", "at most N rows", "50")
    .action(async (name: string | undefined, opts: { limit: string }) => {
      const ctx = getContext();
      const list = await ctx.client().agents.payments.query({ ...(name ? { name } : {}), limit: Number(opts.limit) });
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No outbound payments."
          : formatTable(
              ["WHEN", "AGENT", "STATE", "AMOUNT", "PAY TO", "REASON", "TX"],
              list.map((p) => [
                p.createdAt,
                p.agent,
                p.state,
                p.amount,
                p.payTo ?? "-",
                p.reason ?? "-",
                p.txHash ?? "-",
              ]),
            ),
      );
    });
  agents
    .command("delete <name>")
    .description("delete an agent (its wallet key is kept); --force also deletes the offers that sell it")
    .option("--force", "also delete the offers that sell this agent")
    .action(async (name: string, opts: { force?: boolean }) => {
      const ctx = getContext();
      const deleted = await ctx.client().agents.delete.mutate({ name, force: Boolean(opts.force) });
      printResult(
        ctx.json,
        deleted,
        () =>
          `Deleted agent "${deleted.name}"${deleted.offers.length ? ` and its offers: ${deleted.offers.join(", ")}` : ""}.`,
      );
    });
}
