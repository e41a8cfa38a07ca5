import type { AgentView } from "@tollgate/core";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { formatTable, printResult } from "../output.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

function renderAgent(agent: AgentView): string {
  const policy = agent.policy;
  const rows: [string, string][] = [
    ["Name", agent.name],
    ["Wallet", agent.walletAddress],
    ["Model", agent.model],
    ["Skills", agent.skills.join(", ") || "-"],
    ["Objective", agent.objective || "-"],
    ["Offers", agent.offers.join(", ") || "-"],
    [
      "Spend policy",
      `max ${policy.maxPerPayment ?? "-"} USDC/payment, ${policy.dailyBudget ?? "-"} USDC/day` +
        (policy.allowPayees.length ? `, payees ${policy.allowPayees.join(", ")}` : ""),
    ],
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
    .action(async (name: string, opts: { model: string; skill: string[]; objective?: string }) => {
      const ctx = getContext();
      const created = await ctx.client().agents.create.mutate({
        name,
        model: opts.model,
        skills: opts.skill,
        ...(opts.objective === undefined ? {} : { objective: opts.objective }),
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
