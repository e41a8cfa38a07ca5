// Adds up every result file of a test run and prints the one line CI reads: `N passed, N failed`.
// A suite whose result file is missing (it crashed before reporting) counts as one failure.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, checksPassed, checksFailed] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
const lines = [`checks (format, lint, typecheck): ${checksPassed} passed, ${checksFailed} failed`];

function readJson(name) {
  const file = join(dir, name);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

for (const [name, label] of [
  ["vitest-embedded.json", "vitest, embedded PostgreSQL"],
  ["vitest-external-db.json", "vitest integration, DATABASE_URL"],
]) {
  const r = readJson(name);
  if (!r) {
    failed += 1;
    lines.push(`${label}: no results (the run crashed)`);
    continue;
  }
  // Files that failed to load count as failures even though they ran no test.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).length === 0,
  ).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenFiles;
  lines.push(
    `${label}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${r.numPendingTests} skipped`,
  );
}

const pw = readJson("playwright.json");
if (!pw) {
  failed += 1;
  lines.push("playwright: no results (the run crashed)");
} else {
  const s = pw.stats ?? {};
  const ok = (s.expected ?? 0) + (s.flaky ?? 0);
  const bad = (s.unexpected ?? 0) + (pw.errors?.length ? 1 : 0);
  passed += ok;
  failed += bad;
  lines.push(`playwright: ${ok} passed, ${bad} failed, ${s.skipped ?? 0} skipped`);
}

console.log(`\n${lines.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
