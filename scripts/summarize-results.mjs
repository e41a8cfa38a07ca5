// Adds up every report of a test run and prints the one line CI reads: `N passed, N failed`; exits
// non-zero when anything failed. Usage: summarize-results.mjs DIR CHECKS_PASSED CHECKS_FAILED [MINIMUMS]
// DIR holds `<run>.json` (the report) and `<run>.exit` (the runner's exit code) for each run below.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { summarizeRuns } from "./test-report/summarize-runs.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [dir, checksPassed, checksFailed, minimumsFile = join(here, "test-report", "minimum-tests.json")] =
  process.argv.slice(2);

function read(name) {
  const file = join(dir, name);
  if (!existsSync(file)) return null;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function parseJson(text) {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

const runs = [
  { key: "vitest-embedded", kind: "vitest", label: "vitest, embedded PostgreSQL" },
  { key: "vitest-external-db", kind: "vitest", label: "vitest integration, DATABASE_URL" },
  // Only when the embedded pass found files reading DATABASE_URL that the import scan had not listed.
  { key: "vitest-external-db-late", kind: "vitest", label: "vitest integration, DATABASE_URL (late)", optional: true },
  { key: "playwright", kind: "playwright", label: "playwright" },
]
  .filter((run) => !run.optional || read(`${run.key}.exit`) !== null)
  .map((run) => {
    const exit = read(`${run.key}.exit`);
    return {
      ...run,
      report: parseJson(read(`${run.key}.json`)),
      exitCode: exit === null || exit.trim() === "" ? null : Number(exit.trim()),
    };
  });

const { lines, failed } = summarizeRuns({
  checks: { passed: Number(checksPassed), failed: Number(checksFailed) },
  runs,
  minimums: JSON.parse(readFileSync(minimumsFile, "utf8")),
});
console.log(`\n${lines.join("\n")}`);
process.exit(failed > 0 ? 1 : 0);
