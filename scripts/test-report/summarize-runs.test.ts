import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { summarizeRuns } from "./summarize-runs.mjs";

// The fixtures are real reports, recorded by running tiny throwaway test files with Vitest (through
// `vitest-run-reporter.mjs`) and Playwright (its JSON reporter), each with the runner's exit code.
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const summarizer = join(here, "..", "summarize-results.mjs");
const scratch = mkdtempSync(join(tmpdir(), "tollgate-summary-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const slots = [
  { key: "vitest-embedded", kind: "vitest", label: "vitest, embedded PostgreSQL", passing: "vitest-passing" },
  { key: "vitest-external-db", kind: "vitest", label: "vitest integration, DATABASE_URL", passing: "vitest-passing" },
  { key: "playwright", kind: "playwright", label: "playwright", passing: "playwright-passing" },
] as const;
const minimums = { "vitest-embedded": { unit: 1 }, "vitest-external-db": { unit: 1 }, playwright: { chromium: 1 } };

const readFixture = (name: string) => ({
  report: JSON.parse(readFileSync(join(fixtures, `${name}.json`), "utf8")),
  exitCode: Number(readFileSync(join(fixtures, `${name}.exit`), "utf8").trim()),
});

/** A whole run where every slot passed except `key`, which got the recorded `fixture`. */
function runsWith(key: string, fixture: string) {
  return slots.map((slot) => ({ ...slot, ...readFixture(slot.key === key ? fixture : slot.passing) }));
}

/** Runs the real summarizer script on a results directory laid out like `scripts/test.sh` does. */
function runSummarizer(key: string, fixture: string) {
  const dir = mkdtempSync(join(scratch, "results-"));
  for (const slot of slots) {
    const name = slot.key === key ? fixture : slot.passing;
    copyFileSync(join(fixtures, `${name}.json`), join(dir, `${slot.key}.json`));
    copyFileSync(join(fixtures, `${name}.exit`), join(dir, `${slot.key}.exit`));
  }
  writeFileSync(join(dir, "minimums.json"), JSON.stringify(minimums));
  const r = spawnSync(process.execPath, [summarizer, dir, "3", "0", join(dir, "minimums.json")], { encoding: "utf8" });
  return { code: r.status, lastLine: r.stdout.trim().split("\n").at(-1) ?? "", stdout: r.stdout };
}

describe("the summary of a run where everything passed", () => {
  test("reports no failure and exits 0", () => {
    const s = summarizeRuns({ checks: { passed: 3, failed: 0 }, runs: runsWith("", ""), minimums });
    expect(s.failed).toBe(0);
    // 3 checks + 1 vitest test in each of the two vitest runs + 1 Playwright test.
    expect(s.passed).toBe(6);
    expect(runSummarizer("", "")).toMatchObject({ code: 0, lastLine: "6 passed, 0 failed" });
  });
});

const failingCases = [
  { key: "vitest-embedded", fixture: "vitest-before-all-throws", says: "database never came up" },
  { key: "vitest-embedded", fixture: "vitest-hook-timeout", says: "Hook timed out" },
  { key: "vitest-embedded", fixture: "vitest-after-all-throws", says: "server did not stop" },
  { key: "vitest-external-db", fixture: "vitest-unhandled-rejection", says: "loop crashed after the test" },
  { key: "vitest-external-db", fixture: "vitest-zero-tests", says: 'project "unit" executed 0 tests' },
  { key: "vitest-embedded", fixture: "vitest-load-error", says: "does-not-exist" },
  { key: "vitest-embedded", fixture: "vitest-failing-test", says: "charges the buyer once" },
  { key: "playwright", fixture: "playwright-passed-on-retry", says: "passed only on a retry" },
  { key: "playwright", fixture: "playwright-failing-test", says: "storefront lists the offer" },
  { key: "playwright", fixture: "playwright-server-never-ready", says: "webServer was not able to start" },
];

describe.each(failingCases)("a recorded $fixture report", ({ key, fixture, says }) => {
  test("counts as a failure, names what went wrong and makes the summarizer exit non-zero", () => {
    const s = summarizeRuns({ checks: { passed: 3, failed: 0 }, runs: runsWith(key, fixture), minimums });
    expect(s.failed).toBeGreaterThan(0);
    expect(s.lines.join("\n")).toContain(says);
    const cli = runSummarizer(key, fixture);
    expect(cli.code).toBe(1);
    expect(cli.lastLine).toMatch(/^\d+ passed, [1-9]\d* failed$/);
  });
});

describe("runs that prove nothing", () => {
  test("a missing report is a failure", () => {
    const runs = runsWith("", "").map((r) => (r.key === "playwright" ? { ...r, report: null } : r));
    expect(summarizeRuns({ checks: { passed: 3, failed: 0 }, runs, minimums }).failed).toBe(1);
  });

  test("a runner that exited non-zero with a clean report is a failure", () => {
    const runs = runsWith("", "").map((r) => (r.key === "vitest-embedded" ? { ...r, exitCode: 1 } : r));
    const s = summarizeRuns({ checks: { passed: 3, failed: 0 }, runs, minimums });
    expect(s.failed).toBe(1);
    expect(s.lines.join("\n")).toContain("exited with code 1");
  });

  test("a project that executed fewer tests than its minimum is a failure", () => {
    const s = summarizeRuns({
      checks: { passed: 3, failed: 0 },
      runs: runsWith("", ""),
      minimums: { ...minimums, "vitest-embedded": { unit: 2 } },
    });
    expect(s.failed).toBe(1);
    expect(s.lines.join("\n")).toContain('project "unit" executed 1 test, fewer than its minimum of 2');
  });
});
