// A Vitest reporter that writes what the summary needs and the built-in JSON reporter leaves out:
// the project of every test, errors of hooks (beforeAll/afterAll, on the file or on a describe
// block) and errors that escaped every test (unhandled rejections, uncaught exceptions).
// Used as `--reporter=./scripts/test-report/vitest-run-reporter.mjs`; writes to $VITEST_RUN_REPORT.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";

const messageOf = (error) => String(error?.message ?? error).split("\n")[0];

export default class VitestRunReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    const projects = {};
    const failedTests = [];
    const fileErrors = [];
    for (const module of testModules) {
      const file = relative(this.root, module.moduleId);
      projects[module.project.name] ??= { passed: 0, failed: 0, skipped: 0 };
      const counts = projects[module.project.name];
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") {
          counts.failed += 1;
          failedTests.push({ file, name: test.fullName, message: messageOf(test.result().errors?.[0]) });
        } else counts.skipped += 1;
      }
      // Errors on the file or on a suite come from its hooks (or from loading the file).
      for (const owner of [module, ...module.children.allSuites()])
        for (const error of owner.errors()) fileErrors.push({ file, message: messageOf(error) });
    }
    const report = {
      reason,
      projects,
      failedTests,
      fileErrors,
      unhandledErrors: unhandledErrors.map(messageOf),
    };
    const out = process.env.VITEST_RUN_REPORT;
    if (!out) return;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  }
}
