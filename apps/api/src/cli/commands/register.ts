import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

/** `tollgate offers register NAME [--chain C]` and `tollgate identity list` (SPEC §8, §14). */
export function registerRegister(program: Command, getContext: () => CliContext): void {
  const offers = program.commands.find((c) => c.name() === "offers") ?? program.command("offers");
  offers
    .command("register <name>")
    .description("register the seller as an ERC-8004 agent on the offer's chain (one agent per chain, reused)")
    .option("--chain <name>", "chain to register on (default: the offer's chain)")
    .action(async (name: string, opts: { chain?: string }) => {
      const ctx = getContext();
      const result = await ctx
        .client()
        .identity.register.mutate({ name, ...(opts.chain ? { chain: opts.chain as "local" } : {}) });
      const registered = result.offer.conditions.find((c) => c.type === "Registered");
      printResult(ctx.json, result, () => {
        const id = result.identity;
        const lines = [`Registered  ${registered ? `${registered.status}/${registered.reason}` : "-"}`];
        if (registered?.message) lines.push(`            ${registered.message}`);
        if (id) {
          lines.push(`Chain       ${id.chain} (${id.agentRegistry})`);
          lines.push(`Agent id    ${id.agentId ?? "-"}`);
          lines.push(`Agent URI   ${id.agentUri ?? "-"}`);
          if (id.lastTxHash) lines.push(`Last tx     ${id.explorerTxUrl ?? id.lastTxHash}`);
        }
        return lines.join("\n");
      });
      if (registered?.status !== "True" && result.identity?.state === "failed") {
        throw new CliError(`registration failed: ${result.identity.lastError ?? "unknown error"}`, exitCodes.refused, {
          code: "CHAIN_ERROR",
        });
      }
    });

  const identity = program.command("identity").description("the seller's ERC-8004 agents, one per chain");
  identity
    .command("list")
    .description("agent id, registry, agent URI and state per chain")
    .action(async () => {
      const ctx = getContext();
      const list = await ctx.client().identity.list.query();
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No identity yet. Offers with registration enabled register once they are ready, or run: tollgate offers register NAME"
          : formatTable(
              ["CHAIN", "STATE", "AGENT", "REGISTRY", "AGENT URI", "NOTE"],
              list.map((i) => [
                i.chain,
                i.state,
                i.agentId ?? "-",
                i.agentRegistry,
                i.agentUri ?? "-",
                i.lastError ?? "",
              ]),
            ),
      );
    });
}
