import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { CliError, exitCodes } from "../cli-error.ts";
import { formatTable, printResult } from "../output.ts";

const when = (d: Date | string | null) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 19) : "-");
const short = (text: string | null, keep = 10) =>
  text && text.length > keep + 4 ? `${text.slice(0, keep)}…` : (text ?? "-");

type PaymentFilterOptions = {
  state?: "verified" | "delivered" | "settled" | "settle_failed" | "upstream_failed" | "rejected" | "abandoned";
  chain?: string;
  payer?: string;
  from?: string;
  to?: string;
};

/** `tollgate payments list [--offer NAME] [--limit N]` and `tollgate revenue`. */
export function registerPayments(program: Command, getContext: () => CliContext): void {
  const payments = program.command("payments").description("the payments ledger: one row per paid request");
  payments
    .command("list")
    .description("list payments, newest first")
    .option("--offer <name>", "only payments for this offer")
    .option("--state <state>", "only this state (settled, settle_failed, upstream_failed, …)")
    .option("--chain <chain>", "only this chain")
    .option("--payer <address>", "only this payer")
    .option("--from <time>", "created at or after (RFC 3339)")
    .option("--to <time>", "created before (RFC 3339)")
    .option("--limit <n>", "how many (1-500)", "50")
    .action(async (opts: PaymentFilterOptions & { offer?: string; limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new CliError(`--limit: must be an integer from 1 to 500, not "${opts.limit}"`, exitCodes.usage);
      const ctx = getContext();
      const { limit: _limit, ...filters } = opts;
      const page = await ctx.client().payments.list.query({
        limit,
        ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)),
      });
      printResult(ctx.json, page, () =>
        page.payments.length === 0
          ? "No payments."
          : formatTable(
              ["CREATED", "OFFER", "CHAIN", "AMOUNT", "STATE", "PAYER", "UPSTREAM", "MS", "TX"],
              page.payments.map((p) => [
                when(p.createdAt),
                p.offerName,
                `${p.chain}${p.testnet ? " (test)" : ""}`,
                p.amount,
                p.reason && p.state !== "settled" ? `${p.state} (${p.reason})` : p.state,
                short(p.payer),
                p.upstreamStatus === null ? "-" : String(p.upstreamStatus),
                p.latencyMs === null ? "-" : String(p.latencyMs),
                short(p.txHash, 12),
              ]),
            ) + (page.nextCursor ? "\n(more: raise --limit)" : ""),
      );
    });
  program
    .command("revenue")
    .description("settled revenue per chain and asset; test chains shown apart and never in totals")
    .action(async () => {
      const ctx = getContext();
      const report = await ctx.client().payments.revenue.query();
      printResult(ctx.json, report, () => {
        const table = (lines: typeof report.lines) =>
          formatTable(
            ["CHAIN", "ASSET", "PAYMENTS", "AMOUNT"],
            lines.map((l) => [l.chain, l.symbol ?? l.asset, String(l.payments), l.display ?? `${l.amount} (atomic)`]),
          );
        const parts: string[] = [];
        parts.push(report.lines.length ? `Revenue:\n${table(report.lines)}` : "Revenue: none settled on real chains.");
        for (const total of report.totals)
          parts.push(`Total: ${total.display} ${total.symbol} (${total.payments} payments)`);
        if (report.testLines.length)
          parts.push(`\nTest chains (test money, not in totals):\n${table(report.testLines)}`);
        return parts.join("\n");
      });
    });
}
