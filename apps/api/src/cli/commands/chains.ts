import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { formatTable, printResult } from "../output.ts";

/** `tollgate chains list` and `tollgate devnet info`. */
export function registerChains(program: Command, getContext: () => CliContext): void {
  const chains = program.command("chains").description("chains this server sells on, with facilitator health");
  chains
    .command("list")
    .description("enabled chains and whether their facilitator supports exact payments")
    .action(async () => {
      const ctx = getContext();
      const list = await ctx.client().chains.list.query();
      printResult(ctx.json, list, () =>
        list.length === 0
          ? "No chains are enabled. The devnet enables `local` when `tollgate serve` starts it."
          : formatTable(
              ["CHAIN", "NETWORK", "TEST", "USDC", "FACILITATOR", "STATUS"],
              list.map((c) => [
                c.name,
                c.caip2,
                c.testnet ? "yes" : "no",
                c.usdc.address ?? "-",
                c.facilitator.label,
                c.facilitator.health.status === "ok" ? "ok" : `unavailable: ${c.facilitator.health.message}`,
              ]),
            ),
      );
    });

  const devnet = program.command("devnet").description("the embedded local chain (test money only)");
  devnet
    .command("info")
    .description("RPC URL, chain id, contracts and test accounts (with keys: devnet only)")
    .action(async () => {
      const ctx = getContext();
      const info = await ctx.client().devnet.info.query();
      printResult(ctx.json, info, () => {
        if (!info) return "The devnet has not been started on this server (TOLLGATE_DEVNET=off?).";
        const rows = (["seller", "buyer", "facilitator"] as const).map((role) => {
          const a = info.accounts[role];
          return [role, a.address, a.usdcBalanceFormatted ?? "-", a.privateKey ?? "-"];
        });
        return [
          `RPC URL            ${info.rpcUrl}${info.running ? "" : " (not running)"}`,
          `chain id           ${info.chainId}`,
          `USDC               ${info.usdc}`,
          `IdentityRegistry   ${info.identityRegistry}`,
          "",
          formatTable(["ACCOUNT", "ADDRESS", "USDC", "PRIVATE KEY (devnet only)"], rows),
        ].join("\n");
      });
    });
}
