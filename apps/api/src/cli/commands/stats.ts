import type { Command } from "commander";
import type { ApiClient } from "../api-client.ts";
import type { CliContext } from "../cli-context.ts";
import { formatTable, printResult } from "../output.ts";

/** The overview as it arrives over the wire (dates as ISO strings). */
type AnalyticsOverview = Awaited<ReturnType<ApiClient["analytics"]["overview"]["query"]>>;

const percent = (value: number | null) => (value === null ? "-" : `${(value * 100).toFixed(1)}%`);
const ms = (value: number | null) => (value === null ? "-" : `${value} ms`);
const when = (d: Date | string | null) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 19) : "-");

function renderRevenue(overview: AnalyticsOverview): string[] {
  const { totals } = overview.revenue;
  const lines: string[] = [];
  if (totals.totals.length === 0) lines.push("Revenue: nothing settled on real chains in this range.");
  for (const total of totals.totals)
    lines.push(`Revenue: ${total.display} ${total.symbol} (${total.payments} payments)`);
  for (const total of totals.testTotals)
    lines.push(`Test chains (not in revenue): ${total.display} ${total.symbol} (${total.payments} payments)`);
  return lines;
}

/** The agents' outbound spend (settled x402 payments they made), per agent; nothing when they spent nothing. */
function renderSpend(overview: AnalyticsOverview): string[] {
  const { spend } = overview;
  if (spend.totals.length === 0) return [];
  return [
    ...spend.totals.map(
      (t) =>
        `Agent spend: ${t.display} ${t.symbol ?? t.asset} on ${t.chain}${t.testnet ? " (test)" : ""} (${t.payments} payments)`,
    ),
    ...spend.agents.map((a) => `  ${a.agent}: ${a.display} ${a.symbol ?? a.asset} (${a.payments} payments)`),
  ];
}

/** The human rendering of `tollgate stats`: revenue, funnel, latency, per-offer rows and top payers. */
export function renderStats(overview: AnalyticsOverview): string {
  const { funnel, latency } = overview;
  const bucket = overview.range.bucket === "hour" ? "hourly" : "daily";
  const parts = [
    `Since ${when(overview.range.from)} UTC (${bucket} buckets)${overview.offer ? `, offer ${overview.offer}` : ""}`,
    ...renderRevenue(overview),
    ...renderSpend(overview),
    "",
    `Funnel: ${funnel.challenges} challenges (402) → ${funnel.verified} verified → ${funnel.settled} settled` +
      ` · ${funnel.refused} refused before payment · ${funnel.failed} failed after (${funnel.upstreamFailures} upstream)`,
    ...funnel.failures.map((f) => `  ${f.stage === "refused" ? "refused" : "failed"}: ${f.reason} × ${f.count}`),
    `Latency: delivery p50 ${ms(latency.delivery.p50Ms)}, p95 ${ms(latency.delivery.p95Ms)}` +
      ` · settlement p50 ${ms(latency.settlement.p50Ms)}, p95 ${ms(latency.settlement.p95Ms)}`,
  ];
  if (overview.offers.offers.length > 0) {
    parts.push(
      "",
      formatTable(
        ["OFFER", "REVENUE", "SETTLED", "CONVERSION", "P95", "ERRORS", "LAST SETTLEMENT"],
        overview.offers.offers.map((o) => [
          o.offer,
          o.revenue.map((r) => `${r.display} ${r.symbol ?? r.asset}${r.testnet ? " (test)" : ""}`).join(", ") || "-",
          String(o.settled),
          percent(o.conversion),
          ms(o.delivery.p95Ms),
          String(o.errors),
          when(o.lastSettledAt),
        ]),
      ),
    );
  } else {
    parts.push("", "No traffic in this range: share an offer's URL, or `tollgate offers probe NAME`.");
  }
  if (overview.topPayers.payers.length > 0) {
    parts.push(
      "",
      "Top payers:",
      formatTable(
        ["PAYER", "CHAIN", "PAYMENTS", "AMOUNT"],
        overview.topPayers.payers.map((p) => [
          p.payer,
          `${p.chain}${p.testnet ? " (test)" : ""}`,
          String(p.payments),
          `${p.display} ${p.symbol ?? p.asset}`,
        ]),
      ),
    );
  }
  return parts.join("\n");
}

/** `tollgate stats [--offer NAME] [--since 7d]`: the admin overview's numbers for a range. */
export function registerStats(program: Command, getContext: () => CliContext): void {
  program
    .command("stats")
    .description("revenue, the payment funnel, latency and top payers over a range (from the analytics rollups)")
    .option("--offer <name>", "only this offer")
    .option("--since <duration>", "range back from now: 24h (hourly buckets), 7d, 30d … (daily)", "7d")
    .action(async (opts: { offer?: string; since: string }) => {
      const ctx = getContext();
      const overview = await ctx
        .client()
        .analytics.overview.query({ since: opts.since, ...(opts.offer ? { offer: opts.offer } : {}) });
      printResult(ctx.json, overview, () => renderStats(overview));
    });
}
