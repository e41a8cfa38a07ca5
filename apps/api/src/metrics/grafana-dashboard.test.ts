import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./create-metrics.ts";

const dashboardPath = join(import.meta.dirname, "../../../../deploy/grafana/tollgate-dashboard.json");
const promqlWords = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
]);

/** The series names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
function seriesIn(expr: string): string[] {
  const stripped = expr
    .replace(/\{[^}]*\}/g, " ") // label matchers
    .replace(/\[[^\]]*\]/g, " ") // range selectors
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, " ") // grouping label lists
    .replace(/"[^"]*"/g, " ");
  return [...stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter(
      (m) =>
        !stripped
          .slice((m.index ?? 0) + m[0].length)
          .trimStart()
          .startsWith("("),
    ) // functions
    .map((m) => m[0])
    .filter((word) => !promqlWords.has(word));
}

describe("deploy/grafana/tollgate-dashboard.json", () => {
  const dashboard = JSON.parse(readFileSync(dashboardPath, "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
    templating: { list: { query?: unknown }[] };
  };
  const exported = new Set<string>();
  for (const metric of createMetrics({ processMetrics: true }).registry.getMetricsAsArray()) {
    exported.add(metric.name);
    if (String(metric.type) === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) exported.add(metric.name + suffix);
  }

  const queries = [
    ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: panel.title, expr: target.expr }))),
    ...dashboard.templating.list
      .map((variable) => variable.query)
      .filter((query): query is { query: string } => typeof query === "object" && query !== null && "query" in query)
      .map((query) => ({ where: "templating", expr: query.query.replace(/^label_values\(([^,)]+).*$/, "$1") })),
  ];

  it("has panels for the funnel, failures and both latency histograms", () => {
    const all = queries.map((q) => q.expr).join("\n");
    for (const series of [
      "tollgate_payment_challenges_total",
      "tollgate_payments_settled_total",
      "tollgate_payments_failed_total",
      "tollgate_gateway_request_duration_seconds_bucket",
      "tollgate_settlement_duration_seconds_bucket",
    ]) {
      expect(all).toContain(series);
    }
  });

  it("queries only series the server exports", () => {
    const unknown = queries.flatMap(({ where, expr }) =>
      seriesIn(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(queries.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });

  it("finds a misspelt series (the check can fail)", () => {
    expect(seriesIn('sum by (le) (rate(tollgate_gateway_request_duration_secs_bucket{outcome="paid"}[5m]))')).toEqual([
      "tollgate_gateway_request_duration_secs_bucket",
    ]);
  });
});
