// Turns the reports of one test run into the line CI reads: `N passed, N failed`. Anything that
// means "something did not run or went wrong" counts as a failure: a failed test, an error in a
// hook or while loading a file, an error that escaped every test, a test that passed only on a
// retry, a runner that exited non-zero, a missing report, and a project that executed fewer tests
// than its committed minimum (a suite that silently stopped running).

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Failures and counts of one run from its reporter output and the runner's exit code. */
function judgeRun({ label, kind, report, exitCode }, minimums) {
  const problems = [];
  if (!report) {
    problems.push("no report (the runner crashed before writing it)");
    return { label, passed: 0, failed: 1, skipped: 0, problems, executed: {} };
  }
  const counted = kind === "playwright" ? countPlaywright(report) : countVitest(report);
  let failed = counted.problems.length;
  problems.push(...counted.problems);
  for (const [project, minimum] of Object.entries(minimums ?? {})) {
    const ran = counted.executed[project] ?? 0;
    if (ran < minimum) {
      failed += 1;
      problems.push(`project "${project}" executed ${plural(ran, "test")}, fewer than its minimum of ${minimum}`);
    }
  }
  if (exitCode === undefined || exitCode === null) {
    failed += 1;
    problems.push("the runner's exit code was not recorded");
  } else if (exitCode !== 0 && failed === 0) {
    failed += 1;
    problems.push(`the runner exited with code ${exitCode} although no failure was reported`);
  }
  return { label, passed: counted.passed, failed, skipped: counted.skipped, problems, executed: counted.executed };
}

/** Counts from `scripts/test-report/vitest-run-reporter.mjs`; every failed test is listed in `problems`. */
function countVitest(report) {
  let passed = 0;
  let skipped = 0;
  const executed = {};
  for (const [project, c] of Object.entries(report.projects ?? {})) {
    passed += c.passed;
    skipped += c.skipped;
    executed[project] = c.passed + c.failed;
  }
  const problems = [
    ...(report.failedTests ?? []).map((t) => `failed: ${t.file} › ${t.name}: ${t.message}`),
    ...(report.fileErrors ?? []).map((e) => `error outside any test (hook or file load) in ${e.file}: ${e.message}`),
    ...(report.unhandledErrors ?? []).map((m) => `unhandled error: ${m}`),
  ];
  if (report.reason === "interrupted") problems.push("the run was interrupted");
  return { passed, skipped, executed, problems };
}

/** Counts from Playwright's JSON reporter; a test that passed only on a retry is a failure. */
function countPlaywright(report) {
  let passed = 0;
  let skipped = 0;
  const executed = {};
  const problems = [];
  const visit = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const name = `${test.projectName} › ${[...path, spec.title].join(" › ")}`;
        if (test.status === "skipped") {
          skipped += 1;
          continue;
        }
        executed[test.projectName] = (executed[test.projectName] ?? 0) + 1;
        if (test.status === "expected") passed += 1;
        else if (test.status === "flaky") problems.push(`passed only on a retry (flaky): ${name}`);
        else problems.push(`failed: ${name}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child, [...path, child.title]);
  };
  for (const suite of report.suites ?? []) visit(suite, [suite.title]);
  for (const error of report.errors ?? [])
    problems.push(`error outside any test: ${String(error.message).split("\n")[0]}`);
  return { passed, skipped, executed, problems };
}

/**
 * The summary of a whole `npm test`: `checks` are the format/lint/typecheck results, `runs` the
 * test runners' reports with their exit codes, `minimums` the committed per-project floors.
 */
export function summarizeRuns({ checks, runs, minimums }) {
  let passed = checks.passed;
  let failed = checks.failed;
  const lines = [`checks (format, lint, typecheck): ${checks.passed} passed, ${checks.failed} failed`];
  for (const run of runs) {
    const r = judgeRun(run, minimums[run.key]);
    passed += r.passed;
    failed += r.failed;
    const ran = Object.entries(r.executed)
      .map(([project, n]) => `${project || "(default)"} ${n}`)
      .join(", ");
    lines.push(
      `${r.label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${ran ? ` (executed: ${ran})` : ""}`,
    );
    for (const problem of r.problems) lines.push(`  ✗ ${problem}`);
  }
  lines.push(`${passed} passed, ${failed} failed`);
  return { lines, passed, failed };
}
